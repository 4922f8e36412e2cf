"""Each conversation's outcome, kept up to date in the store as the conversation goes on.

Whatever can change an outcome says so with `changed` (a customer message, a contact, a
rating), `left`/`returned` (the customer's socket) or `update` (an ownership change, at once:
a close by an agent is final then and there). `changed` waits ``DEBOUNCE_SECONDS`` so a
burst of messages costs one recompute. The outcome itself is worked out by the pure
`handoff.core.judge` from the stored facts; this module reads them, adds the recontact
(the same customer back about the same topic within ``HANDOFF_RECONTACT_DAYS``), saves the
row and, the first time it is final, counts it (`Metrics.observe_outcome`).

A final outcome keeps its ending and times; later ratings and a later recontact still reach
it. `sweep` settles outcomes whose customer has been gone ``HANDOFF_OUTCOME_SETTLE_SECONDS``,
including those left unsettled by a restart (their customer's last activity stands in for
the moment the socket closed, which only memory knew).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

import structlog

from contract.customer_keys import email_hash
from handoff.core import AGENT, Desk
from handoff.core.judge import Facts, judge
from handoff.core.outcomes import Outcome
from handoff.frames import iso
from handoff.metrics import Metrics
from handoff.service.live import LiveRegistry
from handoff.settings import Settings
from handoff.store import Store

log = structlog.get_logger("handoff.outcomes")

DEBOUNCE_SECONDS = 0.5
DAY = 86400.0
# Kept from a stored outcome when it is worked out again: judge cannot know them.
RECONTACT_FIELDS = ("recontact_of", "recontact_days", "recontacted")
# What a final outcome still takes from a fresh judgement.
AFTER_FINAL = ("bot_rating", "agent_rating", "updated_at")
# The earlier conversation's messages an agent sees with a recontact, the latest kept.
TRANSCRIPT_LIMIT = 100


class Holder(Protocol):
    """What outcomes need of the service's state (`handoff.service.state.State`)."""

    settings: Settings
    store: Store
    metrics: Metrics
    desk: Desk
    live: LiveRegistry
    clock: Callable[[], float]


def last_activity(conversation: dict[str, Any], facts: Facts) -> float:
    """The latest stored moment of the conversation: a stand-in for when its customer left."""
    times = [float(conversation["created_at"])]
    times += [float(m["ts"]) for m in facts.messages]
    times += [float(t["changed_at"]) for t in facts.transitions]
    return max(times)


class Outcomes:
    def __init__(self, hub: Holder) -> None:
        self.hub = hub
        self.gone: dict[str, float] = {}  # conversation -> when its customer's socket closed
        self.waiting: dict[str, asyncio.Task[None]] = {}
        # One update at a time per conversation (so a final outcome is counted once): its lock
        # and how many updates hold or wait for it.
        self.locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self.stopping = False

    # -- what changes an outcome --------------------------------------------------------

    def changed(self, conversation_id: str) -> None:
        """Something the outcome depends on was stored: recompute it soon (once per burst)."""
        if conversation_id in self.waiting or self.hub.live.closing or self.stopping:
            return  # shutting down: the sweep after the restart settles it
        task = asyncio.create_task(self._later(conversation_id))
        self.waiting[conversation_id] = task
        task.add_done_callback(lambda _: self.waiting.pop(conversation_id, None))

    def left(self, conversation_id: str) -> None:
        self.gone[conversation_id] = self.hub.clock()
        self.changed(conversation_id)

    def returned(self, conversation_id: str) -> None:
        self.gone.pop(conversation_id, None)

    async def _later(self, conversation_id: str) -> None:
        await asyncio.sleep(DEBOUNCE_SECONDS)
        await self.refresh(conversation_id)

    async def refresh(self, conversation_id: str) -> Outcome | None:
        """`update`, for callers whose own work must go on whatever happens to the outcome
        (a handoff, a close): a failure is logged, and None returned."""
        try:
            return await self.update(conversation_id)
        except Exception:
            log.exception("outcome.update_failed", conversation_id=conversation_id)
            return None

    async def stop(self) -> None:
        # No new recompute from now on; cancel the waiting ones, including any started while
        # the others were being cancelled, so none holds a database connection at close.
        self.stopping = True
        while self.waiting:
            tasks = list(self.waiting.values())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for task in tasks:
                self.waiting = {k: t for k, t in self.waiting.items() if t is not task}

    # -- working it out ----------------------------------------------------------------

    async def facts(self, conversation_id: str) -> Facts | None:
        store = self.hub.store
        row = await store.get_conversation(conversation_id)
        if row is None:
            return None
        redacted = await store.redaction_values(conversation_id)
        facts = Facts(
            conversation_id=conversation_id,
            started_at=float(row["created_at"]),
            team=row["team"],
            transitions=await store.transitions(conversation_id),
            messages=await store.history(conversation_id),
            turns=await store.turns(conversation_id),
            contacts=await store.contacts_of(conversation_id),
            ratings=await store.csat_scores(conversation_id),
            handoffs=await store.handoff_rows(conversation_id),
            redacted_emails=tuple(h for h in map(email_hash, redacted) if h),
            connected=self.hub.live.has_customer(conversation_id),
        )
        if facts.connected:
            return facts
        gone = self.gone.get(conversation_id)
        return dataclasses.replace(facts, gone_since=gone or last_activity(row, facts))

    async def update(self, conversation_id: str) -> Outcome | None:
        """Work the outcome out again from the store and save it; None for an unknown id."""
        lock, users = self.locks.get(conversation_id) or (asyncio.Lock(), 0)
        self.locks[conversation_id] = (lock, users + 1)
        try:
            async with lock:
                return await self._update(conversation_id)
        finally:
            lock, users = self.locks[conversation_id]
            if users == 1:
                del self.locks[conversation_id]
            else:
                self.locks[conversation_id] = (lock, users - 1)

    async def _update(self, conversation_id: str) -> Outcome | None:
        facts = await self.facts(conversation_id)
        if facts is None:
            return None
        now = self.hub.clock()
        fresh = judge(facts, now, self.hub.settings.outcome_settle_seconds)
        stored = await self.hub.store.get_outcome(conversation_id)
        if stored is not None and stored.final:
            outcome = dataclasses.replace(stored, **{k: getattr(fresh, k) for k in AFTER_FINAL})
        elif stored is not None:
            outcome = dataclasses.replace(
                fresh, **{k: getattr(stored, k) for k in RECONTACT_FIELDS}
            )
        else:
            outcome = fresh
        if outcome.recontact_of is None:
            outcome = await self._recontact(outcome)
        if stored is None or dataclasses.replace(outcome, updated_at=stored.updated_at) != stored:
            await self.hub.store.save_outcome(outcome)
        if outcome.final and not (stored is not None and stored.final):
            self.hub.metrics.observe_outcome(outcome)
            self.gone.pop(conversation_id, None)
            log.info("outcome.final", conversation_id=conversation_id, ending=outcome.ending)
        return outcome

    async def _recontact(self, outcome: Outcome) -> Outcome:
        """The same customer's earlier conversation about the same topic, within the setting's
        days and over (final, or its customer has left it): this one is its recontact, and
        that one no longer counts as solved on first contact."""
        if outcome.topic is None:
            return outcome
        window = self.hub.settings.recontact_days * DAY
        for earlier in await self.hub.store.earlier_outcomes(outcome, outcome.started_at - window):
            if earlier.topic != outcome.topic:
                continue
            if not (earlier.final or earlier.conversation_id in self.gone):
                continue  # still going on (in another window, say): not a return
            if not earlier.recontacted:
                await self.hub.store.save_outcome(dataclasses.replace(earlier, recontacted=True))
            days = round((outcome.started_at - earlier.started_at) / DAY, 3)
            log.info(
                "outcome.recontact",
                conversation_id=outcome.conversation_id,
                of=earlier.conversation_id,
            )
            return dataclasses.replace(
                outcome, recontact_of=earlier.conversation_id, recontact_days=days
            )
        return outcome

    async def sweep(self) -> int:
        """Settle what is due: outcomes not final whose customer is not here. Returns how
        many became final."""
        settled, now = 0, self.hub.clock()
        settle = self.hub.settings.outcome_settle_seconds
        for outcome in await self.hub.store.unsettled_outcomes():
            cid = outcome.conversation_id
            conv = self.hub.desk.conversations.get(cid)
            if self.hub.live.has_customer(cid) or cid in self.waiting:
                continue
            if conv is not None and conv.owner == AGENT:
                continue  # a person has it: it ends when they close or hand it back
            if now - self.gone.get(cid, now - settle) < settle:
                continue
            updated = await self.update(cid)
            settled += bool(updated is not None and updated.final)
        return settled

    async def recontact_of(self, conversation_id: str) -> dict[str, Any] | None:
        """For the agent: the earlier conversation this one came back about (when, how many
        days before, its topic and its messages, redacted values masked), or None."""
        outcome = await self.hub.store.get_outcome(conversation_id)
        if outcome is None or outcome.recontact_of is None:
            return None
        earlier_id = outcome.recontact_of
        earlier = await self.hub.store.get_outcome(earlier_id)
        masks = await self.hub.store.redaction_values(earlier_id)
        transcript = [
            {
                "sender": row["sender"],
                "text": masked(str(row["body"].get("text") or ""), masks),
                "at": iso(row["ts"]),
            }
            for row in await self.hub.store.history(earlier_id)
            if row["kind"] == "message"
        ]
        return {
            "conversation_id": earlier_id,
            "days": outcome.recontact_days,
            "at": iso(earlier.started_at) if earlier is not None else None,
            "topic": outcome.topic,
            "ending": earlier.ending if earlier is not None else None,
            "transcript": transcript[-TRANSCRIPT_LIMIT:],
        }


def masked(text: str, masks: dict[str, str]) -> str:
    """Redacted values replaced by their placeholders, longest first (an email before any
    shorter value inside it)."""
    for value in sorted(masks, key=len, reverse=True):
        if value:
            text = text.replace(value, masks[value])
    return text
