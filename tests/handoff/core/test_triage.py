"""The queue order by consequence: each handoff's class, priority and the words on its card."""

from __future__ import annotations

import pytest

from contract.case_kinds import case_reason
from handoff.core import Desk, NotAllowed
from handoff.core.policy import EMERGENCY_PRIORITY
from handoff.core.triage import CLASSES, Placement, place

THRESHOLD = -0.6


def context(kind="customer_request", tier="escalation", reasons=(), sentiment=None, value=None):
    return {
        "trigger": {"kind": kind, "value": value, "threshold": None, "detail": ""},
        "risk": {"tier": tier, "reasons": list(reasons)},
        "sentiment": {"latest": sentiment, "mean": sentiment, "trend": []},
    }


FIRE = context(
    "risk", "emergency", ["imminent danger: smoke and sparks", "legal request needs a person"]
)
LEGAL = context("risk", reasons=[case_reason("legal_request", "the rules found 'sue'")])
HARM = context("customer_request", reasons=[case_reason("harm_complaint")], sentiment=-0.9)
GDPR = context("risk", reasons=[case_reason("data_protection")])
FRAUD = context("risk", reasons=[case_reason("fraud")])
REGULATOR = context("risk", reasons=[case_reason("regulator_complaint")])
DISPUTE = context("risk", reasons=[case_reason("payment_dispute")], sentiment=-0.8)
CHARGEBACK = context("risk", reasons=[case_reason("chargeback")])
ANGRY = context("sentiment", sentiment=-0.7902, value=-0.7902)
ANGRY_ASKER = context("customer_request", sentiment=-0.61)
ASKER = context("customer_request", sentiment=-0.2)
GIBBERISH = context("low_confidence_streak", value=2)
UNCLEAR = context("nlu_confidence", value=0.31)
LOOP = context("loop", value=3)
FAILURES = context("risk", reasons=["repeated failures (2 failed attempts, limit 2)"])
REFUND = context("risk", "assistance", ["refund 240.00 is above the review amount 150.00"])
SPANISH = context("language", value="es")
LONG = context("turns", value=12)


@pytest.mark.parametrize(
    ("ctx", "klass", "why", "also"),
    [
        (FIRE, "emergency", "Emergency: smoke and sparks", ("Legal threat",)),
        (LEGAL, "sensitive", "Legal threat", ()),
        (
            HARM,
            "sensitive",
            "Harm or damage reported",
            ("Angry customer (sentiment −0.90)", "Asked for a person"),
        ),
        (GDPR, "sensitive", "Data protection request", ()),
        (FRAUD, "sensitive", "Fraud or unauthorised use", ()),
        (REGULATOR, "sensitive", "Complaint to a regulator", ()),
        (DISPUTE, "payment", "Payment dispute", ("Angry customer (sentiment −0.80)",)),
        (CHARGEBACK, "payment", "Chargeback", ()),
        (ANGRY, "angry", "Angry customer (sentiment −0.79)", ()),
        (ANGRY_ASKER, "angry", "Angry customer (sentiment −0.61)", ("Asked for a person",)),
        (ASKER, "requested", "Asked for a person", ()),
        (GIBBERISH, "not_understood", "Not understood twice in a row", ()),
        (UNCLEAR, "not_understood", "Not understood (confidence 0.31)", ()),
        (LOOP, "not_understood", "Going in circles (the same message 3 times)", ()),
        (FAILURES, "not_understood", "Repeated failures (2 failed attempts, limit 2)", ()),
        (REFUND, "other", "Refund 240.00 is above the review amount 150.00", ()),
        (SPANISH, "other", "Writes in another language (es)", ()),
        (LONG, "other", "Long conversation (12 messages without the goal met)", ()),
        ({}, "other", "Needs a person", ()),
    ],
)
def test_each_handoff_gets_its_class_and_the_words_for_its_card(ctx, klass, why, also):
    assert place(ctx, THRESHOLD) == Placement(klass, why, also)


def test_the_classes_are_served_in_the_documented_order():
    """Emergency, harm/legal/fraud/data, payment, angry, asked, not understood, the rest."""
    ordered = [FIRE, LEGAL, DISPUTE, ANGRY, ASKER, GIBBERISH, REFUND]
    assert [place(c, THRESHOLD).priority for c in ordered] == list(range(len(CLASSES)))


def test_an_emergency_keeps_the_priority_the_desk_offers_to_every_agent():
    assert place(FIRE, THRESHOLD).priority == EMERGENCY_PRIORITY


@pytest.mark.parametrize(
    ("sentiment", "klass"), [(-0.6, "angry"), (-0.59, "requested"), (None, "requested")]
)
def test_a_customer_is_angry_at_or_below_the_threshold(sentiment, klass):
    assert place(context("customer_request", sentiment=sentiment), THRESHOLD).klass == klass


def test_malformed_parts_of_a_context_are_ignored():
    """A stored context from an older version, or with odd types, still gets a place."""
    odd = {"trigger": "sentiment", "risk": {"reasons": [None, 3]}, "sentiment": {"latest": "x"}}
    assert place(odd, THRESHOLD) == Placement("other", "Needs a person")


def test_a_gibberish_handoff_waits_behind_a_later_fire_a_gdpr_request_and_an_angry_customer():
    """Within the desk, the class orders the queue and waiting time orders each class."""
    desk = Desk()
    arrivals = [("gibberish", GIBBERISH), ("angry", ANGRY), ("gdpr", GDPR), ("fire", FIRE)]
    arrivals += [("angry-later", ANGRY)]
    for now, (cid, ctx) in enumerate(arrivals, start=1):
        desk.enqueue(cid, priority=place(ctx, THRESHOLD).priority, team=None, now=now, reason="r")
    assert [c.id for c in desk.queue()] == ["fire", "gdpr", "angry", "angry-later", "gibberish"]


def test_a_newer_context_moves_a_waiting_conversation_to_its_new_class():
    desk = Desk()
    desk.enqueue("asked", priority=place(ASKER, THRESHOLD).priority, team=None, now=1, reason="r")
    desk.enqueue("angry", priority=place(ANGRY, THRESHOLD).priority, team=None, now=2, reason="r")
    assert [c.id for c in desk.queue()] == ["angry", "asked"]
    events = desk.reprioritise("asked", place(LEGAL, THRESHOLD).priority, now=3)
    assert events and [c.id for c in desk.queue()] == ["asked", "angry"]


def test_an_emergency_stays_an_emergency_whatever_context_follows():
    desk = Desk()
    desk.enqueue("fire", priority=place(FIRE, THRESHOLD).priority, team=None, now=1, reason="r")
    assert desk.reprioritise("fire", place(ASKER, THRESHOLD).priority, now=2) == []
    assert desk.get("fire").priority == EMERGENCY_PRIORITY


def test_only_a_waiting_conversation_can_be_reprioritised():
    desk = Desk()
    desk.open("c1")
    with pytest.raises(NotAllowed, match="not waiting"):
        desk.reprioritise("c1", 1, now=1)


@pytest.mark.parametrize(
    ("ctx", "priority"),
    [(FIRE, 0), (LEGAL, 1), (DISPUTE, 1), (ANGRY, 2), (ASKER, 3), (UNCLEAR, 4), (REFUND, 5)],
)
def test_a_recontact_goes_one_step_up_but_never_into_the_emergency_class(ctx, priority):
    placement = place(ctx, THRESHOLD, recontact=True)
    assert placement.priority == priority
    assert placement.also[-1] == "Came back about the same thing"
    assert place(ctx, THRESHOLD).klass == placement.klass
