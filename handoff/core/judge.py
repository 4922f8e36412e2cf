"""How a conversation ended, worked out from what is stored about it: `judge(facts, now, settle)`.

Pure: the service (handoff/service/outcomes.py) reads the facts from the store and passes
the time in; the same facts always give the same `Outcome`. The endings (core/outcomes.py):

- ``resolved``   an agent closed it; final at once, with the agent's resolution tag.
- ``contact``    the customer left an email or a phone number for a follow-up.
- ``abandoned_queue``  the customer went away while waiting for a person.
- ``contained``  the assistant met the customer's goal and no person took part.
- ``handed_back_contained``  a person handed it back, and then the assistant met the goal.
- ``abandoned_bot``  the customer went away from the assistant with a request open or failed.
- ``open``       anything else: still going on, or nothing was asked.

An outcome is ``final`` once it cannot change by itself: closed by an agent, or the customer
gone for ``settle_seconds`` (not while a person has the conversation: they close it).
Recontact (``recontact_of``, ``recontacted``) needs the customer's other conversations and is
added by the service; ``judge`` leaves it unset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract.customer_keys import email_hash, order_ref
from contract.turns import GOALS, MET
from handoff.core import effort
from handoff.core.outcomes import (
    ABANDONED_BOT,
    ABANDONED_QUEUE,
    ASSISTANT_PART,
    CONTACT,
    CONTAINED,
    HANDED_BACK_CONTAINED,
    OPEN,
    PERSON_PART,
    RESOLVED,
    Outcome,
)
from handoff.core.records import AGENT, BOT, CLOSED, QUEUE
from handoff.core.risk_reasons import NONE as NO_RISK
from handoff.core.risk_reasons import risk_reason

Row = Mapping[str, Any]
# The goals of a turn that asked for something ("none" is small talk): contract/turns.py.
ASKED = tuple(goal for goal in GOALS if goal != "none")


@dataclass(frozen=True)
class Facts:
    """What the store holds about one conversation, as its rows read."""

    conversation_id: str
    started_at: float
    team: str | None = None  # the conversation's team now
    transitions: Sequence[Row] = ()  # from_owner, to_owner, to_agent, reason, changed_at
    messages: Sequence[Row] = ()  # history: kind, sender, body, ts
    turns: Sequence[Row] = ()  # per customer message: intent, goal, topic, order_ref, ...
    contacts: Sequence[Row] = ()  # email, phone, created_at
    ratings: Sequence[Row] = ()  # csat rows: score, part, created_at
    handoffs: Sequence[Row] = ()  # customer_id, created_at, body (the stored context)
    # Hashes of the emails the customer gave that were redacted out of the handoff context.
    redacted_emails: Sequence[str] = field(default_factory=tuple)
    connected: bool = False  # the customer's socket is open now
    gone_since: float | None = None  # when it closed, if it is not open


def owner(facts: Facts) -> str:
    return str(facts.transitions[-1]["to_owner"]) if facts.transitions else BOT


def settled(facts: Facts, now: float, settle_seconds: float) -> bool:
    """The customer has been gone long enough for what happened to count as the end."""
    if facts.connected or facts.gone_since is None:
        return False
    return now - facts.gone_since >= settle_seconds


def ending(facts: Facts, gone: bool) -> tuple[str, str | None]:
    """(ending, resolution tag) as things stand; ``gone``: the customer has left for good."""
    now_with = owner(facts)
    if now_with == CLOSED:
        return RESOLVED, str(facts.transitions[-1]["reason"]).removeprefix("closed:") or None
    if facts.contacts:
        return CONTACT, None
    if now_with == QUEUE:
        return (ABANDONED_QUEUE if gone else OPEN), None
    if now_with == AGENT:
        return OPEN, None
    decisive = [t for t in facts.turns if t.get("goal") in ASKED]
    person_left = [
        float(t["changed_at"])
        for t in facts.transitions
        if t["from_owner"] == AGENT and t["to_owner"] == BOT
    ]
    if decisive and decisive[-1]["goal"] == MET:
        met_at = float(decisive[-1]["ts"])
        if not person_left:
            if not any(t["to_owner"] == AGENT for t in facts.transitions):
                return CONTAINED, None
        elif met_at >= person_left[-1]:
            return HANDED_BACK_CONTAINED, None
    if gone and decisive:
        return ABANDONED_BOT, None
    return OPEN, None


def _first(values: Sequence[Any]) -> Any:
    return next((v for v in values if v), None)


def _last(values: Sequence[Any]) -> Any:
    return _first(list(reversed(values)))


def _part(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    return value if isinstance(value, dict) else {}


def _risk_reason(body: Mapping[str, Any]) -> str | None:
    """The handoff's risk reason in the words /metrics counts it by, None for a routine one."""
    word = risk_reason(body.get("risk"))
    return None if word == NO_RISK else word


def _slot(body: Mapping[str, Any], name: str) -> str | None:
    slots = body.get("slots")
    value = slots.get(name) if isinstance(slots, dict) else None
    return value if isinstance(value, str) else None


def keys(facts: Facts) -> tuple[str | None, str | None, str | None]:
    """(customer id, email hash, order reference): who the customer is, as far as is known.
    The latest said wins: a customer who corrects their email is known by the corrected one."""
    bodies = [h.get("body") or {} for h in facts.handoffs]
    customer_id = _last([h.get("customer_id") for h in facts.handoffs])
    emails = [t.get("email_hash") for t in facts.turns]
    emails += [email_hash(_slot(b, "email")) for b in bodies] + list(facts.redacted_emails)
    emails += [email_hash(c.get("email")) for c in facts.contacts]
    orders = [t.get("order_ref") for t in facts.turns]
    orders += [order_ref(_slot(b, "order_id")) for b in bodies]
    return customer_id, _last(emails), _last(orders)


def topic(facts: Facts) -> str | None:
    """The handoff's topic when there was one (the assistant's reading of the request at the
    moment it mattered), else the topic of the latest request, else its intent."""
    handed = _first([(h.get("body") or {}).get("topic") for h in facts.handoffs])
    if handed:
        return str(handed)
    asked = [t for t in facts.turns if t.get("goal") in ASKED]
    return (asked[-1].get("topic") or asked[-1].get("intent")) if asked else None


def _rating(facts: Facts, part: str) -> int | None:
    scores = [r["score"] for r in facts.ratings if (r.get("part") or PERSON_PART) == part]
    return int(scores[-1]) if scores else None


def judge(facts: Facts, now: float, settle_seconds: float) -> Outcome:
    """The conversation's outcome as of ``now``."""
    gone = settled(facts, now, settle_seconds)
    end, resolution = ending(facts, gone)
    closed = owner(facts) == CLOSED
    final = closed or (gone and owner(facts) != AGENT)
    ended_at: float | None = None
    if closed:
        ended_at = float(facts.transitions[-1]["changed_at"])
    elif final:
        ended_at = facts.gone_since
    until = ended_at if ended_at is not None else now
    first = (facts.handoffs[0].get("body") or {}) if facts.handoffs else {}
    trigger = _part(first, "trigger")
    handoffs, transfers = effort.counts(facts.transitions)
    agents = [t.get("to_agent") for t in facts.transitions]
    customer_id, email, order = keys(facts)
    said = effort.customer_messages(facts.messages)
    return Outcome(
        conversation_id=facts.conversation_id,
        ending=end,
        started_at=facts.started_at,
        updated_at=now,
        final=final,
        resolution=resolution,
        team=facts.team,
        agent_id=_last(agents),
        trigger=trigger.get("kind"),
        risk_reason=_first([_risk_reason(h.get("body") or {}) for h in facts.handoffs]),
        topic=topic(facts),
        customer_id=customer_id,
        email_hash=email,
        order_ref=order,
        ended_at=ended_at,
        first_answer_seconds=effort.first_answer_seconds(facts.messages),
        wait_seconds=effort.waited(facts.transitions, until),
        handle_seconds=effort.handled(facts.transitions, until),
        customer_turns=len(said),
        repeats=effort.repeats([str((m.get("body") or {}).get("text") or "") for m in said]),
        handoffs=handoffs,
        transfers=transfers,
        bot_rating=_rating(facts, ASSISTANT_PART),
        agent_rating=_rating(facts, PERSON_PART),
    )
