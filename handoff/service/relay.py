"""The bot side of the gateway: relay customer input to Rasa, in order, per conversation.

Each conversation gets a small worker so its messages reach Rasa in order while other
conversations proceed in parallel. Input is dropped (it is already stored) when the queue
or an agent owns the conversation; replies to a call made while the bot owned it are
still delivered, as the assistant's announcement of the handoff is one of them. A
customer's message may reach Rasa while its own commit is still under way (`stored`); no
answer to it is stored or shown before that commit. The assistant's facts about the turn
come out of its replies (handoff/service/replies.py) and are kept once the answer is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog

from contract.person_request import detect
from contract.turns import MET
from handoff.core import BOT, QUEUE
from handoff.core.outcomes import ASSISTANT_PART
from handoff.frames import History, TypingShown
from handoff.rasa import RasaUnavailable
from handoff.service import csat
from handoff.service.intake import gateway_handoff
from handoff.service.live import Input, ToCustomer
from handoff.service.replies import bot_message, neutralise, take_turn
from handoff.service.state import State
from handoff.store import StoreError

log = structlog.get_logger("handoff.relay")

# How long a request for a person may wait for the assistant's call in flight before the
# service queues the conversation itself.
PERSON_GRACE = 1.0


class Relay:
    """Each conversation's inbox, worker and count of pending input live in its `Live` record."""

    def __init__(self, hub: State) -> None:
        self.hub = hub
        # Set when the last call to the assistant failed, cleared by the next answer.
        self.down = False
        self.watchdogs: set[asyncio.Task[None]] = set()

    def submit(
        self,
        conversation_id: str,
        message: str,
        *,
        kind: str,
        seq: int | None = None,
        stored: asyncio.Future[None] | None = None,
    ) -> None:
        live = self.hub.live.get(conversation_id)
        if live.inbox is None:
            live.inbox = asyncio.Queue()
        live.inbox.put_nowait((message, kind, seq, stored))
        live.pending += 1
        if live.worker is None or live.worker.done():
            live.worker = asyncio.create_task(self._work(conversation_id, live.inbox))

    def busy(self, conversation_id: str) -> bool:
        return self.hub.live.busy(conversation_id)

    def would_wait(self, conversation_id: str) -> bool:
        """A request sent to the assistant now would wait: behind earlier input still to be
        sent, or for an assistant that is not answering. (Only the call in flight is not
        reason enough: it is usually about to answer; `watch_person_request` covers it.)"""
        live = self.hub.live.find(conversation_id)
        return self.down or (live is not None and live.inbox is not None and live.inbox.qsize() > 0)

    def watch_person_request(self, conversation_id: str) -> None:
        """A request for a person just went to the assistant behind a call in flight: if the
        assistant has not taken it within PERSON_GRACE seconds, the service queues it."""
        if self.busy(conversation_id):
            task = asyncio.create_task(self._person_after_grace(conversation_id))
            self.watchdogs.add(task)
            task.add_done_callback(self.watchdogs.discard)

    async def _person_after_grace(self, conversation_id: str) -> None:
        await asyncio.sleep(PERSON_GRACE)
        conv = self.hub.desk.conversations.get(conversation_id)
        if conv is not None and conv.owner == BOT and self.busy(conversation_id):
            await self.person_now(conversation_id)

    async def person_now(self, conversation_id: str) -> None:
        """Queue for a person at once, whatever the assistant is doing for this conversation."""
        self.hub.desk.held.discard(conversation_id)  # an agent may join before the call ends
        if self.down:
            reason, detail = (
                "bot_unavailable",
                "The assistant was unavailable; the customer asked for a person.",
            )
        else:
            reason, detail = "customer_request", "The customer asked for a person."
        log.info("relay.person_now", conversation_id=conversation_id, reason=reason)
        await self._gateway_handoff(conversation_id, reason, detail)

    async def idle(self) -> None:
        """Wait until every submitted message has been handled (used by tests and shutdown)."""
        for live in list(self.hub.live.conversations.values()):
            if live.inbox is not None:
                await live.inbox.join()

    async def stop(self) -> None:
        for task in self.watchdogs:
            task.cancel()
        workers = [w for live in self.hub.live.conversations.values() if (w := live.worker)]
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def resume(self, conversation_id: str) -> None:
        """Relay what the customer wrote but the bot never saw (the service died in between)."""
        if self.busy(conversation_id):
            return
        for row in await self.hub.store.unrelayed(conversation_id):
            payload = row["body"].get("payload")
            if payload:
                self.submit(conversation_id, payload, kind="button", seq=row["seq"])
            else:
                text = neutralise(row["body"].get("text", ""))
                if not text:
                    await self.hub.store.mark_relayed(conversation_id, row["seq"])
                    continue
                self.submit(conversation_id, text, kind="customer", seq=row["seq"])
            log.info("relay.resumed", conversation_id=conversation_id, seq=row["seq"])

    async def _work(self, conversation_id: str, inbox: asyncio.Queue[Input]) -> None:
        # The worker ends as soon as its inbox is empty (the next `submit` starts another), so
        # an idle customer costs no task, queue or timer: idle sockets are the common case.
        while not inbox.empty():
            message, kind, seq, stored = inbox.get_nowait()
            try:
                marked = await self._deliver(conversation_id, message, kind, seq, stored)
                if seq is not None and not marked:
                    await self.hub.store.mark_relayed(conversation_id, seq)
            except Exception:
                log.exception("relay.failed", conversation_id=conversation_id)
                if not _commit_failed(stored):
                    await self._failed(conversation_id, kind)
            finally:
                live = self.hub.live.find(conversation_id)
                if live is not None:
                    live.pending -= 1
                inbox.task_done()
        # No await since the inbox was seen empty, so no `submit` can have slipped in between.
        live = self.hub.live.find(conversation_id)
        if live is not None and live.worker is asyncio.current_task():
            live.worker, live.inbox, live.pending = None, None, 0
            self.hub.forget(conversation_id)

    async def _deliver(
        self,
        cid: str,
        message: str,
        kind: str,
        seq: int | None,
        stored: asyncio.Future[None] | None = None,
    ) -> bool:
        """Relay one input and store the answer; True if that also marked `seq` relayed.
        Raises the input's StoreError (nothing shown or stored) if its commit failed."""
        hub = self.hub
        conv = hub.desk.conversations.get(cid)
        if conv is None or conv.owner != BOT:
            if stored is not None:
                await stored
            log.info("relay.skipped_not_bot_owned", conversation_id=cid, kind=kind)
            return False
        metadata = {
            "conversation_id": cid,
            "customer_token": hub.live.get(cid).customer_token,
            "seq": seq,
        }
        hub.desk.held.add(cid)
        try:
            return await self._answer(cid, message, kind, seq, metadata, stored)
        finally:
            hub.desk.held.discard(cid)
            live = hub.live.get(cid)
            notice, live.after_answer = live.after_answer, None
            if notice is not None:
                await notice()
            if cid in hub.desk.conversations and hub.desk.conversations[cid].owner == QUEUE:
                await hub.command(lambda desk: desk.tick(hub.clock()))

    async def _answer(
        self,
        cid: str,
        message: str,
        kind: str,
        seq: int | None,
        metadata: dict[str, Any],
        stored: asyncio.Future[None] | None,
    ) -> bool:
        hub = self.hub
        live = hub.live.get(cid)
        await hub.live.send(ToCustomer(cid), TypingShown("bot", True))
        queued_before = live.times_queued
        try:
            try:
                replies = await hub.rasa.send(cid, message, metadata)
            finally:
                if stored is not None:
                    await stored  # the question is durable before any answer or notice
        except RasaUnavailable as exc:
            hub.metrics.rasa_failures.inc()
            log.warning("rasa.unavailable", conversation_id=cid, error=str(exc))
            await hub.live.send(ToCustomer(cid), TypingShown("bot", False))
            self.down = True
            await self._bot_unavailable(cid, kind, message)
            return False
        self.down = False
        await hub.live.send(ToCustomer(cid), TypingShown("bot", False))
        replies, turn = take_turn(cid, replies)
        bodies = [body for body in map(bot_message, replies) if body is not None]
        offered: list[dict[str, str]] = []
        for body in bodies:
            offered = body["buttons"] or offered
        # One transaction for the whole answer, stored before any of it is shown.
        ts = hub.clock()
        seqs = await hub.store.append_replies(
            cid, bodies, ts, last_buttons=offered, relayed_seq=seq
        )
        live.buttons = offered
        hub.metrics.messages.inc(len(bodies))
        for reply_seq, body in zip(seqs, bodies, strict=True):
            row = {"seq": reply_seq, "kind": "message", "sender": "bot", "client_id": None}
            await hub.publish(cid, History({**row, "body": body, "ts": ts}))
        if turn is not None:
            await self._keep_turn(cid, seq, turn, ts, alone=live.times_queued == queued_before)
        if kind == "request_human" and live.times_queued == queued_before:
            # The assistant answered but posted no handoff: honour the request ourselves.
            await self._gateway_handoff(cid, "customer_request", "The customer asked for a person.")
        return True

    async def _keep_turn(
        self, cid: str, seq: int | None, turn: dict[str, Any], ts: float, alone: bool
    ) -> None:
        """Keep the turn's facts; after a goal the assistant met alone, ask for its rating."""
        hub = self.hub
        try:
            if seq is not None:
                await hub.store.add_turn(cid, seq, turn, ts)
                hub.outcomes.changed(cid)  # the goal met or not decides how it ends
            conv = hub.desk.conversations.get(cid)
            if turn["goal"] == MET and alone and conv is not None and conv.owner == BOT:
                await csat.ask(hub, cid, ASSISTANT_PART)
        except StoreError:
            # The answer is stored and shown; only the facts about it are lost.
            log.exception("relay.turn_not_stored", conversation_id=cid, seq=seq)

    async def _failed(self, cid: str, kind: str) -> None:
        """The input is stored but the assistant could not process it: never leave the
        customer in silence."""
        conv = self.hub.desk.conversations.get(cid)
        if conv is None or conv.owner != BOT:
            return
        try:
            await self._bot_unavailable(cid, kind, "")
        except Exception:
            log.exception("relay.notice_failed", conversation_id=cid)

    async def _bot_unavailable(self, cid: str, kind: str, message: str) -> None:
        # Without the assistant, the service itself recognises a typed request for a person.
        if kind == "request_human" or (kind == "customer" and detect(message) is not None):
            await self._gateway_handoff(
                cid,
                "bot_unavailable",
                "The assistant was unavailable; the customer asked for a person.",
            )
            return
        await self.hub.event(
            cid,
            "bot_unavailable",
            "Sorry, the assistant is not answering right now. Your message is saved. "
            "You can ask to talk to a person.",
        )

    async def _gateway_handoff(self, cid: str, reason: str, detail: str) -> None:
        await gateway_handoff(self.hub, cid, reason, detail)


def _commit_failed(stored: asyncio.Future[None] | None) -> bool:
    """True when the input itself was never stored (its sender was told to send it again)."""
    if stored is None or not stored.done():
        return False
    return stored.cancelled() or stored.exception() is not None
