"""The state of one service instance: the desk, the live registry, and the store kept in step.

`command()` applies a desk command under one lock, persists each ownership change
(compare-and-set), and only then lets `react` tell customers and agents what happened
(`handoff.service.hub`). History items go through `record()`, which numbers and stores
them before publishing. Every frame leaves through `LiveRegistry.send`.
"""

from __future__ import annotations

import abc
import asyncio
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import structlog

from handoff.core import AGENT, BOT, CLOSED, Conversation, Desk, OwnerChanged
from handoff.core.events import Event
from handoff.core.policy import estimate_wait
from handoff.core.triage import place
from handoff.frames import History, QueueItem, QueueList, QueueStatus, ServerFrame, iso
from handoff.metrics import Metrics
from handoff.rasa import RasaClient
from handoff.service.assist import Assist
from handoff.service.live import LiveRegistry, ToAgent, ToCustomer
from handoff.service.outcomes import Outcomes
from handoff.settings import Settings
from handoff.store import Store, StoreError

log = structlog.get_logger("handoff.hub")

DeskCommand = Callable[[Desk], list[Event]]


def new_resume_token() -> str:
    return secrets.token_urlsafe(24)


class State(abc.ABC):
    def __init__(
        self,
        settings: Settings,
        store: Store,
        rasa: RasaClient,
        metrics: Metrics,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings, self.store, self.rasa, self.metrics = settings, store, rasa, metrics
        self.clock = clock
        self.desk = Desk()
        self.lock = asyncio.Lock()
        self.live = LiveRegistry()
        self.assist = Assist(self)
        self.outcomes = Outcomes(self)

    @abc.abstractmethod
    async def react(self, events: list[Event]) -> None:
        """Tell customers and agents what the stored events mean."""

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuild the desk from storage: agents start offline, so their conversations get a
        grace period."""
        now = self.clock()
        for agent in await self.store.list_agents():
            if not agent["disabled"]:
                self.put_agent(agent)
        for conv in await self.store.active_conversations():
            self.desk.restore(conv, now, self.settings.agent_grace_seconds)
            await self.load(conv.id)
        self.update_gauges()
        log.info("hub.started", active=len(self.desk.conversations), agents=len(self.desk.agents))

    def put_agent(self, agent: dict[str, Any]) -> None:
        """Put a stored agent account on the desk (offline until their socket connects)."""
        self.desk.add_agent(
            agent["id"],
            agent["name"],
            frozenset(agent["teams"]),
            agent["capacity"],
            frozenset(agent["languages"]),
        )

    async def load(self, conversation_id: str) -> dict[str, Any] | None:
        """Bring a stored conversation onto the desk (and its cached context) if it is not
        there yet."""
        row = await self.store.get_conversation(conversation_id)
        if row is None:
            return None
        if conversation_id not in self.desk.conversations:
            self.desk.restore(
                Conversation(
                    row["id"],
                    row["owner"],
                    row["agent_id"],
                    row["priority"],
                    row["team"],
                    row["queue_rank"] or 0.0,
                    row["queued_at"],
                ),
                self.clock(),
                self.settings.agent_grace_seconds,
            )
        live = self.live.get(conversation_id)
        if row["context"]:
            live.context = json.loads(row["context"])
            self.desk.conversations[conversation_id].language = live.context.get("language")
        if live.buttons is None:
            live.buttons = json.loads(row["last_buttons"] or "[]")
        if not live.token_known:
            live.set_customer_token(row["customer_token"])
        return row

    def forget(self, conversation_id: str) -> None:
        """Drop an idle bot-owned or closed conversation from memory; `load` brings it back."""
        conv = self.desk.conversations.get(conversation_id)
        live = self.live
        busy = live.has_customer(conversation_id) or live.busy(conversation_id)
        busy = busy or live.opening(conversation_id)
        if conv is None or busy or conv.owner not in (BOT, CLOSED):
            return
        del self.desk.conversations[conversation_id]
        self.live.forget(conversation_id)

    async def reload(self) -> None:
        """Storage disagreed with memory: rebuild the desk from storage, keeping agents'
        presence."""
        online = {a.id: a.available for a in self.desk.agents.values() if a.online}
        self.desk = Desk()
        for live in self.live.conversations.values():
            live.context = None
        await self.start()
        for agent_id, available in online.items():
            if agent_id in self.desk.agents:
                self.desk.connect(agent_id, self.clock())
                self.desk.agents[agent_id].available = available

    # -- history -------------------------------------------------------------------------

    async def record(
        self,
        conversation_id: str,
        kind: str,
        sender: str,
        body: dict[str, Any],
        client_id: str | None = None,
        staged: Callable[[int], None] | None = None,
    ) -> tuple[int, bool]:
        seq, duplicate = await self.store.append(
            conversation_id, kind, sender, body, client_id, self.clock(), staged
        )
        if not duplicate:
            if kind == "message":
                self.metrics.messages.inc()
            row = dict(seq=seq, kind=kind, sender=sender, client_id=client_id, body=body)
            row["ts"] = self.clock()
            await self.publish(conversation_id, History(row))
        return seq, duplicate

    async def event(
        self,
        conversation_id: str,
        name: str,
        text: str,
        *,
        owner: str | None = None,
        agent_id: str | None = None,
        urgent: bool = False,
        callback: bool = False,
        part: str | None = None,
    ) -> None:
        """Record a customer-visible event; `owner` defaults to the current one.

        ``urgent`` marks an event about an emergency (the widget shows it as such);
        ``callback`` an offer that asks for a phone number to call the customer back;
        ``part`` the part of the conversation a rating event is about."""
        conv = self.desk.conversations.get(conversation_id)
        if owner is None and conv is not None:
            owner, agent_id = conv.owner, conv.agent_id
        body: dict[str, Any] = {
            "event": name,
            "owner": owner,
            "agent_name": self.agent_name(agent_id),
            "text": text,
        }
        if urgent:
            body["urgent"] = True
        if callback:
            body["callback"] = True
        if part is not None:
            body["part"] = part
        await self.record(conversation_id, "event", "system", body)

    async def publish(self, conversation_id: str, frame: ServerFrame) -> None:
        """A history item goes to the customer and to the agent who owns the conversation."""
        await self.live.send(ToCustomer(conversation_id), frame)
        conv = self.desk.conversations.get(conversation_id)
        if conv is not None and conv.owner == AGENT and conv.agent_id:
            await self.live.send(ToAgent(conv.agent_id, about=conversation_id), frame)

    def agent_name(self, agent_id: str | None) -> str | None:
        if agent_id is None:
            return None
        agent = self.desk.agents.get(agent_id)
        return agent.name if agent else agent_id

    # -- desk commands ------------------------------------------------------------------------

    async def command(self, fn: DeskCommand) -> list[Event]:
        """Apply a desk command, persist its transitions, then publish its effects."""
        async with self.lock:
            events = fn(self.desk)
            try:
                for event in events:
                    if isinstance(event, OwnerChanged):
                        await self.store.change_owner(event, self.desk.get(event.conversation_id))
                        self.metrics.transitions.labels(owner=event.new_owner).inc()
            except StoreError:
                log.exception("hub.persist_failed")
                await self.reload()
                raise
        await self.react(events)
        return events

    # -- queue view ---------------------------------------------------------------------------

    def update_gauges(self) -> None:
        queue = self.desk.queue()
        now = self.clock()
        self.metrics.queue_length.set(len(queue))
        self.metrics.agents_online.set(self.desk.agents_online())
        self.metrics.oldest_wait.set(max((now - (c.queued_at or now) for c in queue), default=0.0))

    def queue_status(self, conversation_id: str) -> QueueStatus:
        position = self.desk.position(conversation_id)
        online = self.desk.agents_online()
        return QueueStatus(
            position=position,
            estimated_wait_seconds=estimate_wait(
                position or 1, online, self.settings.handle_seconds
            ),
            agents_online=online,
            business_hours=self.settings.business_hours.is_open(self.clock()),
        )

    def queue_items(self) -> list[dict[str, Any]]:
        return [item.to_json() for item in self._queue_items()]

    def _queue_items(self) -> list[QueueItem]:
        items = []
        for position, conv in enumerate(self.desk.queue(), start=1):
            live = self.live.get(conv.id)  # a queued conversation always has its record
            ctx, again = live.context or {}, live.recontact is not None
            trigger, risk = ctx.get("trigger") or {}, ctx.get("risk") or {}
            placement = place(ctx, self.settings.negative_sentiment, again)
            items.append(
                QueueItem(
                    conversation_id=conv.id,
                    priority=conv.priority,
                    tier=risk.get("tier"),
                    reason=trigger.get("detail") or trigger.get("kind"),
                    trigger=trigger,
                    team=conv.team,
                    waiting_since=iso(conv.queued_at or self.clock()),
                    summary=ctx.get("summary"),
                    position=position,
                    queue_class=placement.klass,
                    why=placement.why,
                    also=list(placement.also),
                )
            )
        return items

    def online_agents(self) -> list[dict[str, Any]]:
        """Who is online and what they speak, for the console's roster (by name)."""
        online = [a for a in self.desk.agents.values() if a.online]
        return [
            {"name": a.name, "languages": sorted(a.languages), "available": a.available}
            for a in sorted(online, key=lambda a: a.name.lower())
        ]

    async def broadcast_queue(self) -> None:
        self.update_gauges()
        frame = QueueList(self._queue_items(), self.desk.agents_online(), self.online_agents())
        for agent_id in list(self.live.agents):
            await self.live.send(ToAgent(agent_id), frame)
        for conv in self.desk.queue():
            status = self.queue_status(conv.id)
            live = self.live.find(conv.id)
            if live is not None and live.customer is not None and live.sent_queue != status.key():
                live.sent_queue = status.key()
                await self.live.send(ToCustomer(conv.id), status)
