"""The handoff decision: one row per behaviour, plus the order in which triggers win."""

import pytest

from assistant.thresholds import Thresholds
from assistant.triggers import Signals, decide

T = Thresholds(
    nlu_fallback_threshold=0.45,
    nlu_handoff_confidence=0.2,
    low_confidence_streak=2,
    sentiment_threshold=-0.6,
    max_turns_without_goal=6,
)


@pytest.mark.parametrize(
    ("signals", "kind", "value", "threshold"),
    [
        (Signals(requested_person=True), "customer_request", True, True),
        (Signals(confidence=0.12), "nlu_confidence", 0.12, 0.2),
        (Signals(low_confidence_streak=2), "low_confidence_streak", 2, 2),
        (Signals(sentiment=-0.61), "sentiment", -0.61, -0.6),
        (Signals(sentiment=-0.6), "sentiment", -0.6, -0.6),
        (Signals(turns_without_goal=6), "turns", 6, 6),
        (Signals(risk_tier="escalation"), "risk", "escalation", "assistance"),
        (Signals(risk_tier="assistance"), "risk", "assistance", "assistance"),
    ],
)
def test_a_signal_past_its_threshold_fires_with_value_and_threshold(
    signals, kind, value, threshold
):
    trigger = decide(signals, T)
    assert trigger is not None
    assert (trigger.kind, trigger.value, trigger.threshold) == (kind, value, threshold)


@pytest.mark.parametrize(
    "signals",
    [
        Signals(),
        Signals(confidence=0.2),
        Signals(confidence=0.95, sentiment=-0.59),
        Signals(low_confidence_streak=1),
        Signals(turns_without_goal=5),
        Signals(risk_tier="automation"),
        Signals(confidence=None, sentiment=None),
    ],
)
def test_signals_within_thresholds_let_the_bot_continue(signals):
    assert decide(signals, T) is None


def test_an_explicit_request_wins_over_every_other_trigger():
    signals = Signals(requested_person=True, confidence=0.1, sentiment=-0.9, risk_tier="escalation")
    assert decide(signals, T).kind == "customer_request"


def test_a_poorly_understood_message_wins_over_sentiment():
    assert decide(Signals(confidence=0.1, sentiment=-0.9), T).kind == "nlu_confidence"


def test_the_risk_trigger_explains_the_risk_reasons():
    trigger = decide(Signals(risk_tier="escalation", risk_reasons=("chargeback",)), T)
    assert "chargeback" in trigger.detail


def test_a_trigger_serialises_to_the_protocol_fields():
    assert set(decide(Signals(turns_without_goal=9), T).as_dict()) == {
        "kind",
        "value",
        "threshold",
        "detail",
    }


def test_imminent_danger_wins_over_every_other_trigger_as_the_emergency_tier():
    signals = Signals(
        requested_person=True,
        confidence=0.1,
        sentiment=-0.9,
        risk_tier="escalation",
        danger="imminent danger: smoke and sparks",
    )
    trigger = decide(signals, T)
    assert (trigger.kind, trigger.value, trigger.threshold) == ("risk", "emergency", "assistance")
    assert trigger.detail == "emergency: imminent danger: smoke and sparks"


@pytest.mark.parametrize(
    ("signals", "kind", "value", "threshold"),
    [
        (Signals(repeated_answer=3), "loop", 3, 3),
        (Signals(repeated_message=4), "loop", 4, 3),
        (Signals(foreign_language="es"), "language", "es", "en"),
        (Signals(foreign_language="es", confidence=0.05), "language", "es", "en"),
        (Signals(foreign_language="es", requested_person=True), "customer_request", True, True),
        (Signals(repeated_answer=3, sentiment=-0.9), "loop", 3, 3),
        (Signals(repeated_answer=3, low_confidence_streak=2), "low_confidence_streak", 2, 2),
    ],
)
def test_loop_and_language_fire_in_their_place_in_the_order(signals, kind, value, threshold):
    trigger = decide(signals, Thresholds())
    assert trigger is not None
    assert (trigger.kind, trigger.value, trigger.threshold) == (kind, value, threshold)


def test_fewer_repeats_than_the_threshold_let_the_bot_continue():
    assert decide(Signals(repeated_answer=2, repeated_message=2), Thresholds()) is None


def test_the_sentiment_trigger_names_the_frustration_signals_that_fired():
    trigger = decide(Signals(sentiment=-0.8, frustration=("caps", "waiting")), Thresholds())
    assert trigger is not None and trigger.detail.endswith("(caps, waiting)")


def test_a_request_to_be_called_back_says_so_in_the_trigger():
    found = decide(Signals(requested_person=True, callback=True), T).as_dict()
    assert found["kind"] == "customer_request" and found["callback"] is True
    assert found["detail"] == "the customer asked to be called back"


def test_only_a_call_back_request_carries_the_callback_key():
    assert "callback" not in decide(Signals(requested_person=True), T).as_dict()
