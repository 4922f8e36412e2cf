"""A conversation's outcome from its stored facts: each ending, its times, effort and ratings."""

from __future__ import annotations

import pytest

from contract.case_kinds import case_reason
from contract.customer_keys import email_hash
from handoff.core import effort
from handoff.core.judge import Facts, judge
from handoff.core.outcomes import (
    ABANDONED_BOT,
    ABANDONED_QUEUE,
    CONTACT,
    CONTAINED,
    HANDED_BACK_CONTAINED,
    OPEN,
    RESOLVED,
)

SETTLE = 600.0


def move(old, new, reason, at, agent=None):
    return {
        "from_owner": old,
        "to_owner": new,
        "from_agent": None,
        "to_agent": agent,
        "reason": reason,
        "changed_at": at,
    }


def said(sender, text, ts, kind="message"):
    return {"kind": kind, "sender": sender, "body": {"text": text}, "ts": ts}


def turn(seq, goal, ts, **fields):
    return {"seq": seq, "goal": goal, "ts": ts, **fields}


QUEUED = move("bot", "queue", "handoff:customer_request", 20.0)
CLAIMED = move("queue", "agent", "claimed", 50.0, "ana")
CLOSED = move("agent", "closed", "closed:refund_issued", 170.0)
HANDED_BACK = move("agent", "bot", "handed_back", 150.0)
BACK_TO_BOT = move("queue", "bot", "customer_continued_with_bot", 40.0)
HELLO = [said("bot", "Hi, I am an AI", 1.0), said("customer", "where is my order", 10.0)]
ANSWERED = [*HELLO, said("bot", "It ships tomorrow", 12.0)]

# (name, facts, ending, final)
CASES = [
    (
        "the assistant met the goal, customer still there",
        Facts("c", 0.0, turns=[turn(2, "met", 12.0)], connected=True),
        CONTAINED,
        False,
    ),
    (
        "the assistant met the goal, customer gone long enough",
        Facts("c", 0.0, turns=[turn(2, "met", 12.0)], gone_since=20.0),
        CONTAINED,
        True,
    ),
    (
        "the goal met, then small talk",
        Facts("c", 0.0, turns=[turn(2, "met", 12.0), turn(4, "none", 14.0)], gone_since=20.0),
        CONTAINED,
        True,
    ),
    (
        "queued, then back to the assistant, which met the goal",
        Facts(
            "c",
            0.0,
            transitions=[QUEUED, BACK_TO_BOT],
            turns=[turn(5, "met", 45.0)],
            gone_since=50.0,
        ),
        CONTAINED,
        True,
    ),
    (
        "a request left open with the assistant, customer gone",
        Facts("c", 0.0, turns=[turn(2, "open", 12.0)], gone_since=20.0),
        ABANDONED_BOT,
        True,
    ),
    (
        "a request the assistant failed, customer gone",
        Facts("c", 0.0, turns=[turn(2, "met", 12.0), turn(4, "failed", 14.0)], gone_since=20.0),
        ABANDONED_BOT,
        True,
    ),
    (
        "a request still open, customer gone only briefly",
        Facts("c", 0.0, turns=[turn(2, "open", 12.0)], gone_since=500.0),
        OPEN,
        False,
    ),
    (
        "only small talk, customer gone",
        Facts("c", 0.0, turns=[turn(2, "none", 12.0)], gone_since=20.0),
        OPEN,
        True,
    ),
    ("nothing said at all, customer gone", Facts("c", 0.0, gone_since=20.0), OPEN, True),
    ("waiting for a person", Facts("c", 0.0, transitions=[QUEUED], connected=True), OPEN, False),
    (
        "left while waiting for a person",
        Facts("c", 0.0, transitions=[QUEUED], gone_since=30.0),
        ABANDONED_QUEUE,
        True,
    ),
    (
        "with a person, the customer gone for long",
        Facts("c", 0.0, transitions=[QUEUED, CLAIMED], gone_since=60.0),
        OPEN,
        False,
    ),
    (
        "closed by an agent, customer still there",
        Facts("c", 0.0, transitions=[QUEUED, CLAIMED, CLOSED], connected=True),
        RESOLVED,
        True,
    ),
    (
        "a person handed back and the assistant met the goal",
        Facts(
            "c",
            0.0,
            transitions=[QUEUED, CLAIMED, HANDED_BACK],
            turns=[turn(2, "failed", 12.0), turn(9, "met", 160.0)],
            gone_since=170.0,
        ),
        HANDED_BACK_CONTAINED,
        True,
    ),
    (
        "a person handed back, the goal met only before",
        Facts(
            "c",
            0.0,
            transitions=[QUEUED, CLAIMED, HANDED_BACK],
            turns=[turn(2, "met", 12.0)],
            gone_since=170.0,
        ),
        ABANDONED_BOT,
        True,
    ),
    (
        "a contact left while waiting",
        Facts("c", 0.0, transitions=[QUEUED], contacts=[{"email": "a@b.co"}], gone_since=30.0),
        CONTACT,
        True,
    ),
    (
        "a contact left, customer still there",
        Facts("c", 0.0, transitions=[QUEUED], contacts=[{"email": "a@b.co"}], connected=True),
        CONTACT,
        False,
    ),
    (
        "a contact left, then closed by an agent",
        Facts(
            "c",
            0.0,
            transitions=[QUEUED, CLAIMED, CLOSED],
            contacts=[{"phone": "555"}],
            gone_since=30.0,
        ),
        RESOLVED,
        True,
    ),
]


@pytest.mark.parametrize(("name", "facts", "ending", "final"), CASES, ids=[c[0] for c in CASES])
def test_each_ending(name, facts, ending, final):
    outcome = judge(facts, now=1000.0, settle_seconds=SETTLE)
    assert (outcome.ending, outcome.final) == (ending, final)


def test_a_close_carries_the_resolution_tag_and_its_time_as_the_end():
    outcome = judge(Facts("c", 0.0, transitions=[QUEUED, CLAIMED, CLOSED]), 1000.0, SETTLE)
    assert (outcome.resolution, outcome.ended_at, outcome.agent_id) == (
        "refund_issued",
        170.0,
        "ana",
    )


def test_a_settled_conversation_ends_when_the_customer_left():
    outcome = judge(Facts("c", 0.0, transitions=[QUEUED], gone_since=30.0), 1000.0, SETTLE)
    assert outcome.ended_at == 30.0
    assert outcome.wait_seconds == 10.0  # queued at 20, gone at 30: not counted to "now"


def test_times_first_answer_wait_and_handle_time():
    transfer = move("agent", "queue", "transferred_to_team:billing", 80.0)
    second = move("queue", "agent", "claimed", 100.0, "bo")
    facts = Facts(
        "c",
        0.0,
        transitions=[QUEUED, CLAIMED, transfer, second, CLOSED],
        messages=ANSWERED,
        connected=True,
    )
    outcome = judge(facts, 1000.0, SETTLE)
    assert outcome.first_answer_seconds == 2.0  # 10 -> 12; the greeting before does not count
    assert outcome.wait_seconds == 30.0 + 20.0  # 20-50 and 80-100
    assert outcome.handle_seconds == 30.0 + 70.0  # 50-80 and 100-170
    assert (outcome.handoffs, outcome.transfers, outcome.agent_id) == (1, 1, "bo")


def test_a_stay_still_going_counts_up_to_now():
    facts = Facts("c", 0.0, transitions=[QUEUED, CLAIMED], connected=True)
    outcome = judge(facts, 200.0, SETTLE)
    assert (outcome.wait_seconds, outcome.handle_seconds) == (30.0, 150.0)


def test_never_queued_means_no_wait_and_no_handle_time():
    outcome = judge(Facts("c", 0.0, messages=ANSWERED, connected=True), 100.0, SETTLE)
    assert (outcome.wait_seconds, outcome.handle_seconds, outcome.handoffs) == (None, None, 0)
    assert outcome.customer_turns == 1


def test_no_answer_yet_means_no_first_answer_time():
    assert judge(Facts("c", 0.0, messages=HELLO), 100.0, SETTLE).first_answer_seconds is None


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["where is my order", "cancel it"], 0),
        (["Where is my order?", "where is my ORDER!!"], 1),
        (["where is my order", "where is my ordr"], 1),  # a typo fixed is the same message
        (["where is my order", "where is my order", "where is my order"], 2),
        (["yes", "no", "yes"], 1),
        (["?", "!"], 0),  # nothing left once normalised
        (["Café", "cafe"], 1),
    ],
)
def test_repeats_count_messages_that_say_an_earlier_one_again(texts, expected):
    assert effort.repeats(texts) == expected


def test_repeats_and_turns_come_from_the_customer_messages_only():
    messages = [
        said("customer", "where is my order", 1.0),
        said("bot", "where is my order", 2.0),
        said("customer", "Where is my order??", 3.0),
        said("system", "where is my order", 4.0, kind="event"),
    ]
    outcome = judge(Facts("c", 0.0, messages=messages, connected=True), 10.0, SETTLE)
    assert (outcome.customer_turns, outcome.repeats) == (2, 1)


def test_ratings_are_split_by_part_and_the_latest_of_each_counts():
    ratings = [
        {"score": 2, "part": "assistant", "created_at": 1.0},
        {"score": 4, "part": "person", "created_at": 2.0},
        {"score": 3, "part": "assistant", "created_at": 3.0},
        {"score": 5, "created_at": 4.0},  # a row from before ratings had a part: the person's
    ]
    outcome = judge(Facts("c", 0.0, ratings=ratings, connected=True), 10.0, SETTLE)
    assert (outcome.bot_rating, outcome.agent_rating) == (3, 5)


def test_trigger_risk_reason_topic_and_who_the_customer_is_come_from_the_handoffs():
    legal = {
        "trigger": {"kind": "risk"},
        "risk": {"tier": "escalation", "reasons": [case_reason("legal_request")]},
        "topic": "legal",
        "slots": {"order_id": "nw 10007", "email": "[EMAIL_1]"},
    }
    later = {"trigger": {"kind": "sentiment"}, "risk": {"tier": "escalation"}, "topic": "orders"}
    facts = Facts(
        "c",
        0.0,
        team="orders",
        handoffs=[
            {"customer_id": None, "body": legal, "created_at": 1.0},
            {"customer_id": "C1001", "body": later, "created_at": 2.0},
        ],
        redacted_emails=[email_hash("Ana@Example.com")],
        connected=True,
    )
    outcome = judge(facts, 10.0, SETTLE)
    assert (outcome.trigger, outcome.risk_reason, outcome.topic, outcome.team) == (
        "risk",
        "legal_request",
        "legal",
        "orders",
    )
    assert outcome.customer_id == "C1001"
    assert outcome.email_hash == email_hash("ana@example.com")
    assert outcome.order_ref == "NW-10007"


def test_an_emergency_is_its_own_risk_reason():
    body = {"trigger": {"kind": "risk"}, "risk": {"tier": "emergency", "reasons": ["smoke"]}}
    facts = Facts("c", 0.0, handoffs=[{"customer_id": None, "body": body}], connected=True)
    assert judge(facts, 10.0, SETTLE).risk_reason == "emergency"


@pytest.mark.parametrize(
    ("risk", "reason"),
    [
        (
            {"tier": "assistance", "reasons": ["refund 200.00 is above the review amount 150.00"]},
            "refund_review",
        ),
        ({"tier": "escalation", "reasons": ["routine order question"]}, None),
        ({"tier": "escalation", "reasons": ["a gateway's own words"]}, "other"),
        (None, None),
    ],
)
def test_the_risk_reason_is_the_word_metrics_counts_it_by(risk, reason):
    body = {"trigger": {"kind": "risk"}, "risk": risk}
    facts = Facts("c", 0.0, handoffs=[{"customer_id": None, "body": body}], connected=True)
    assert judge(facts, 10.0, SETTLE).risk_reason == reason


def test_without_a_handoff_the_topic_and_keys_come_from_the_turns_and_contacts():
    turns = [
        turn(2, "met", 3.0, intent="track_order", topic="orders", order_ref="NW-10001"),
        turn(4, "none", 4.0, intent="thank", topic=None),
        turn(6, "open", 5.0, intent="start_return", topic=None, order_ref="NW-10002"),
    ]
    facts = Facts("c", 0.0, turns=turns, contacts=[{"email": " A@B.co "}], connected=True)
    outcome = judge(facts, 10.0, SETTLE)
    assert outcome.topic == "start_return"  # the latest request had no topic: its intent
    assert (outcome.order_ref, outcome.email_hash) == ("NW-10002", email_hash("a@b.co"))
    assert (outcome.customer_id, outcome.trigger, outcome.risk_reason) == (None, None, None)


def test_recontact_is_left_to_the_service():
    outcome = judge(Facts("c", 0.0, connected=True), 10.0, SETTLE)
    assert (outcome.recontact_of, outcome.recontact_days, outcome.recontacted) == (
        None,
        None,
        False,
    )
