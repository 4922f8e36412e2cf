"""The hub: the desk, the live sockets, and the rule that every change is stored before it is sent.

Handlers call `Hub.command()` with a desk command; the hub applies it under one lock,
persists each ownership change (compare-and-set), and only then tells customers and
agents what happened (see `handoff.effects`). History items go through `Hub.record()`,
which numbers and stores them before publishing.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiohttp import web

from handoff.core import AGENT, BOT, CLOSED, Conversation, Desk, OwnerChanged
from handoff.core.events import Event
from handoff.core.policy import estimate_wait
from handoff.frames import history_frame, iso
from handoff.metrics import Metrics
from handoff.rasa import RasaClient
from handoff.settings import Settings
from handoff.store import Store, StoreError

log = structlog.get_logger("handoff.hub")

BOT_AUTHOR = "Northwind assistant (AI)"
REPLACED = 4409


class Hub:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        rasa: RasaClient,
        metrics: Metrics,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from handoff.service.relay import Relay

        self.settings, self.store, self.rasa, self.metrics, self.clock = (
            settings,
            store,
            rasa,
            metrics,
            clock,
        )
        self.desk = Desk()
        self.lock = asyncio.Lock()
        self.customers: dict[str, web.WebSocketResponse] = {}
        self.agent_sockets: dict[str, web.WebSocketResponse] = {}
        self.contexts: dict[str, dict[str, Any]] = {}
        self.buttons: dict[str, list[dict[str, str]]] = {}
        self.customer_tokens: dict[str, str | None] = {}
        self.outcomes: dict[str, dict[str, str]] = {}
        self.sent_queue: dict[str, tuple[Any, ...]] = {}
        self.times_queued: defaultdict[str, int] = defaultdict(int)
        # Notices to tell once the assistant's answer being relayed is stored (emergencies).
        self.after_answer: dict[str, Callable[[], Awaitable[None]]] = {}
        self.closing = False
        self.relay = Relay(self)

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuild the desk from storage: agents start offline, so their conversations get a"
        " grace period."""
        now = self.clock()
        for agent in await self.store.list_agents():
            if not agent["disabled"]:
                self.desk.add_agent(
                    agent["id"],
                    agent["name"],
                    frozenset(agent["teams"]),
                    agent["capacity"],
                    frozenset(agent["languages"]),
                )
        for conv in await self.store.active_conversations():
            self.desk.restore(conv, now, self.settings.agent_grace_seconds)
            await self.load(conv.id)
        self.update_gauges()
        log.info("hub.started", active=len(self.desk.conversations), agents=len(self.desk.agents))

    async def load(self, conversation_id: str) -> dict[str, Any] | None:
        """Bring a stored conversation onto the desk (and its cached context) if it is not there"
        " yet."""
        import json

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
        if row["context"]:
            self.contexts[conversation_id] = json.loads(row["context"])
            language = self.contexts[conversation_id].get("language")
            self.desk.conversations[conversation_id].language = language
        self.buttons.setdefault(conversation_id, json.loads(row["last_buttons"] or "[]"))
        self.customer_tokens.setdefault(conversation_id, row["customer_token"])
        return row

    def forget(self, conversation_id: str) -> None:
        """Drop an idle bot-owned or closed conversation from memory; `load` brings it back."""
        conv = self.desk.conversations.get(conversation_id)
        busy = conversation_id in self.customers or self.relay.busy(conversation_id)
        if conv is None or busy or conv.owner not in (BOT, CLOSED):
            return
        del self.desk.conversations[conversation_id]
        for cache in (self.contexts, self.buttons, self.customer_tokens, self.outcomes):
            cache.pop(conversation_id, None)
        self.sent_queue.pop(conversation_id, None)
        self.times_queued.pop(conversation_id, None)

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
                self.metrics.messages += 1
            row = {
                "seq": seq,
                "kind": kind,
                "sender": sender,
                "client_id": client_id,
                "body": body,
                "ts": self.clock(),
            }
            await self.publish(conversation_id, history_frame(row))
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
    ) -> None:
        """Record a customer-visible event; `owner` defaults to the current one.

        ``urgent`` marks an event about an emergency (the widget shows it as such)."""
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
        await self.record(conversation_id, "event", "system", body)

    async def publish(self, conversation_id: str, frame: dict[str, Any]) -> None:
        await self.to_customer(conversation_id, frame)
        conv = self.desk.conversations.get(conversation_id)
        if conv is not None and conv.owner == AGENT and conv.agent_id:
            await self.to_agent(conv.agent_id, {**frame, "conversation_id": conversation_id})

    async def to_customer(self, conversation_id: str, frame: dict[str, Any]) -> None:
        await _send(self.customers.get(conversation_id), frame)

    async def to_agent(self, agent_id: str, frame: dict[str, Any]) -> None:
        await _send(self.agent_sockets.get(agent_id), frame)

    def agent_name(self, agent_id: str | None) -> str | None:
        if agent_id is None:
            return None
        agent = self.desk.agents.get(agent_id)
        return agent.name if agent else agent_id

    # -- desk commands ------------------------------------------------------------------------

    async def command(self, fn: Callable[[Desk], list[Event]]) -> list[Event]:
        """Apply a desk command, persist its transitions, then publish its effects."""
        from handoff.service.effects import apply_effects

        async with self.lock:
            events = fn(self.desk)
            try:
                for event in events:
                    if isinstance(event, OwnerChanged):
                        await self.store.change_owner(event, self.desk.get(event.conversation_id))
                        self.metrics.transitions[event.new_owner] += 1
            except StoreError:
                log.exception("hub.persist_failed")
                await self.reload()
                raise
        await apply_effects(self, events)
        return events

    async def reload(self) -> None:
        """Storage disagreed with memory: rebuild the desk from storage, keeping agents'"
        " presence."""
        online = {a.id: a.available for a in self.desk.agents.values() if a.online}
        self.desk = Desk()
        self.contexts.clear()
        await self.start()
        for agent_id, available in online.items():
            if agent_id in self.desk.agents:
                self.desk.connect(agent_id, self.clock())
                self.desk.agents[agent_id].available = available

    # -- queue view ---------------------------------------------------------------------------

    def update_gauges(self) -> None:
        queue = self.desk.queue()
        now = self.clock()
        self.metrics.queue_length = len(queue)
        self.metrics.agents_online = self.desk.agents_online()
        self.metrics.oldest_wait = max((now - (c.queued_at or now) for c in queue), default=0.0)

    def queue_status(self, conversation_id: str) -> dict[str, Any]:
        position = self.desk.position(conversation_id)
        online = self.desk.agents_online()
        return {
            "type": "queue",
            "position": position,
            "estimated_wait_seconds": estimate_wait(
                position or 1, online, self.settings.handle_seconds
            ),
            "agents_online": online,
            "business_hours": self.settings.business_hours.is_open(self.clock()),
        }

    def queue_items(self) -> list[dict[str, Any]]:
        items = []
        for position, conv in enumerate(self.desk.queue(), start=1):
            ctx = self.contexts.get(conv.id, {})
            trigger, risk = ctx.get("trigger") or {}, ctx.get("risk") or {}
            items.append(
                {
                    "conversation_id": conv.id,
                    "priority": conv.priority,
                    "tier": risk.get("tier"),
                    "reason": trigger.get("detail") or trigger.get("kind"),
                    "trigger": trigger,
                    "team": conv.team,
                    "waiting_since": iso(conv.queued_at or self.clock()),
                    "summary": ctx.get("summary"),
                    "position": position,
                }
            )
        return items

    async def broadcast_queue(self) -> None:
        self.update_gauges()
        frame = {
            "type": "queue",
            "items": self.queue_items(),
            "agents_online": self.desk.agents_online(),
        }
        for agent_id in list(self.agent_sockets):
            await self.to_agent(agent_id, frame)
        for conv in self.desk.queue():
            status = self.queue_status(conv.id)
            key = tuple(status.values())
            if self.sent_queue.get(conv.id) != key and conv.id in self.customers:
                self.sent_queue[conv.id] = key
                await self.to_customer(conv.id, status)


async def _send(ws: web.WebSocketResponse | None, frame: dict[str, Any]) -> None:
    """Send if the socket is open; a vanished client reads what it missed on reconnect."""
    if ws is None or ws.closed:
        return
    try:
        await ws.send_json(frame)
    except (ConnectionError, RuntimeError) as exc:
        log.info("hub.send_failed", error=str(exc))
