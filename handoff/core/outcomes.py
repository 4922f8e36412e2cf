"""How a conversation ended and what it cost the customer: the record, and its vocabulary.

One `Outcome` per conversation, stored in the ``outcomes`` table (handoff/store/schema.py,
migration 7) under the same names. It is worked out again from the conversation's stored
history each time something that changes it happens, so it is never out of step with the
transcript; supervisors' insights and ``/metrics`` both read the stored rows.
"""

from __future__ import annotations

from dataclasses import dataclass

# How it ended.
OPEN = "open"  # still going on: nothing can be said yet
CONTAINED = "contained"  # the assistant met the goal and nobody was brought in
RESOLVED = "resolved"  # an agent closed it, with a resolution tag
HANDED_BACK_CONTAINED = "handed_back_contained"  # a person handed back, then the assistant met it
ABANDONED_QUEUE = "abandoned_queue"  # the customer left while waiting for a person
ABANDONED_BOT = "abandoned_bot"  # the customer left the assistant mid-request
CONTACT = "contact"  # the customer left a contact for follow-up (nobody free, or a call back)
ENDINGS = (
    OPEN,
    CONTAINED,
    RESOLVED,
    HANDED_BACK_CONTAINED,
    ABANDONED_QUEUE,
    ABANDONED_BOT,
    CONTACT,
)

# The two parts of a conversation a customer rates (the ``csat.part`` column).
ASSISTANT_PART, PERSON_PART = "assistant", "person"


@dataclass(frozen=True)
class Outcome:
    conversation_id: str
    ending: str
    started_at: float
    updated_at: float
    # True once it cannot change by itself any more: closed by an agent, or the customer gone
    # for the settle time. Rates are computed over final outcomes.
    final: bool = False
    resolution: str | None = None  # the agent's tag when resolved
    team: str | None = None  # of the last handoff
    agent_id: str | None = None  # the last agent who owned it
    trigger: str | None = None  # the first handoff's reason (confidence, sentiment, risk, ...)
    risk_reason: str | None = None  # the risk decision's reason (legal, fraud, injury, ...)
    topic: str | None = None  # what it was about: the intent, or the risk case
    # Who the customer is, to recognise a recontact: the signed customer id, a hash of the
    # email they gave, the order they named.
    customer_id: str | None = None
    email_hash: str | None = None
    order_ref: str | None = None
    ended_at: float | None = None
    first_answer_seconds: float | None = None  # first customer message to the first answer
    wait_seconds: float | None = None  # time queued for a person, summed
    handle_seconds: float | None = None  # time owned by agents, summed
    customer_turns: int = 0
    repeats: int = 0  # customer messages that repeated an earlier one of theirs
    handoffs: int = 0
    transfers: int = 0
    recontact_of: str | None = None  # the earlier conversation this one came back about
    recontact_days: float | None = None
    recontacted: bool = False  # a later conversation came back about this one
    bot_rating: int | None = None  # the customer's rating of the assistant's part
    agent_rating: int | None = None  # and of the person's

    @property
    def first_contact_resolved(self) -> bool:
        """Solved on first contact: resolved or contained, not itself a return about an
        earlier conversation, and nobody came back about it."""
        return (
            self.final
            and self.ending in (CONTAINED, RESOLVED, HANDED_BACK_CONTAINED)
            and self.recontact_of is None
            and not self.recontacted
        )
