"""The handoff context is read and written by one contract, and a bad field is named."""

from __future__ import annotations

import copy

import pytest

from contract.handoff_context import (
    FIELDS,
    ContextError,
    HandoffContext,
    Redaction,
    Risk,
    Sentiment,
    Trigger,
)

BODY = {
    "handoff_id": "c0ffee:17",
    "conversation_id": "c0ffee",
    "created_at": "2026-11-23T05:00:00.000Z",
    "trigger": {"kind": "sentiment", "value": -0.82, "threshold": -0.5, "detail": "upset"},
    "risk": {"tier": "escalation", "reasons": ["angry customer"]},
    "topic": "refunds",
    "language": "en",
    "summary": "Dana wants help with refunds.",
    "customer": {"verified": True, "customer_id": "C1003", "name": "Dana"},
    "slots": {"order_id": "NW-10007"},
    "turns": [{"sender": "customer", "text": "my email is [EMAIL_1]", "timestamp": "…"}],
    "sentiment": {"latest": -0.82, "mean": -0.3, "trend": [0.0, -0.82]},
    "draft": {"reply": "Refund issued.", "action": {"name": "refund"}},
    "redactions": [{"placeholder": "[EMAIL_1]", "kind": "email", "value": "dana@example.com"}],
    "intents": ["greet", "return_status"],
}


def with_change(path: str, value: object) -> dict:
    """BODY with the field at a dotted path set to value (or removed when value is DELETE)."""
    body = copy.deepcopy(BODY)
    *parents, last = path.split(".")
    target = body
    for name in parents:
        target = target[name]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return body


DELETE = object()


def test_a_full_body_reads_and_writes_back_unchanged():
    """from_json then to_json gives back the body the action server sent."""
    assert HandoffContext.from_json(BODY).to_json() == BODY


def test_to_json_has_every_protocol_field_in_order():
    """The body written has exactly the fields of docs/protocol.md."""
    assert tuple(HandoffContext.from_json(BODY).to_json()) == FIELDS


def test_a_minimal_body_fills_the_optional_fields_with_empty_values():
    """Only the ids, trigger and risk are required; the rest come back null or empty."""
    minimal = {k: BODY[k] for k in ("handoff_id", "conversation_id", "trigger", "risk")}
    written = HandoffContext.from_json(minimal).to_json()
    assert written["turns"] == [] and written["redactions"] == []
    assert (written["language"], written["sentiment"], written["draft"]) == (None, None, None)
    assert "intents" not in written and "callback" not in written["trigger"]


def test_a_call_back_request_is_carried_by_the_trigger():
    """trigger.callback is written only when true, and read back."""
    body = with_change("trigger.callback", True)
    context = HandoffContext.from_json(body)
    assert context.trigger.callback is True
    assert context.to_json()["trigger"]["callback"] is True


def test_the_parsed_context_is_typed():
    """Nested parts become their dataclasses."""
    context = HandoffContext.from_json(BODY)
    assert context.trigger == Trigger("sentiment", -0.82, -0.5, "upset")
    assert context.risk == Risk("escalation", ("angry customer",))
    assert context.sentiment == Sentiment(-0.82, -0.3, (0.0, -0.82))
    assert context.redactions == (Redaction("[EMAIL_1]", "dana@example.com", "email"),)


@pytest.mark.parametrize(
    "path, value, field",
    [
        ("handoff_id", DELETE, "handoff_id"),
        ("handoff_id", "", "handoff_id"),
        ("handoff_id", "x" * 201, "handoff_id"),
        ("conversation_id", 7, "conversation_id"),
        ("trigger", DELETE, "trigger"),
        ("trigger", "sentiment", "trigger"),
        ("trigger.kind", "whim", "trigger.kind"),
        ("trigger.kind", DELETE, "trigger.kind"),
        ("trigger.value", {"a": 1}, "trigger.value"),
        ("trigger.detail", 3, "trigger.detail"),
        ("trigger.extra", 1, "trigger.extra"),
        ("risk", None, "risk"),
        ("risk.tier", "automation", "risk.tier"),
        ("risk.tier", "urgent", "risk.tier"),
        ("risk.reasons", "angry", "risk.reasons"),
        ("risk.reasons", [1], "risk.reasons"),
        ("topic", 5, "topic"),
        ("summary", ["a"], "summary"),
        ("created_at", 17, "created_at"),
        ("language", "ES", "language"),
        ("language", "spanish", "language"),
        ("language", "e1", "language"),
        ("language", "", "language"),
        ("language", 7, "language"),
        ("customer", "Dana", "customer"),
        ("slots", [], "slots"),
        ("draft", "refund", "draft"),
        ("turns", {"sender": "bot"}, "turns"),
        ("turns", [{"sender": "bot"}], "turns"),
        ("turns", ["hello"], "turns"),
        ("sentiment", 0.5, "sentiment"),
        ("sentiment.latest", "low", "sentiment.latest"),
        ("sentiment.latest", True, "sentiment.latest"),
        ("sentiment.trend", [0.1, "x"], "sentiment.trend"),
        ("redactions", {"placeholder": "[EMAIL_1]"}, "redactions"),
        ("redactions", [{"placeholder": "[EMAIL_1]"}], "redactions"),
        ("trigger.callback", "yes", "trigger.callback"),
        ("intents", "greet", "intents"),
        ("intents", ["greet", 3], "intents"),
        ("intents", [""], "intents"),
        ("intents", ["x" * 101], "intents"),
        ("surprise", 1, "surprise"),
    ],
)
def test_a_bad_field_is_refused_with_its_name(path, value, field):
    """Each malformed or missing field raises ContextError naming that field."""
    with pytest.raises(ContextError) as error:
        HandoffContext.from_json(with_change(path, value))
    assert error.value.field == field
    assert str(error.value).startswith(field + " ")


@pytest.mark.parametrize("body", [None, [], "context", 3])
def test_a_body_that_is_not_an_object_is_refused(body):
    """Only a JSON object can be a context."""
    with pytest.raises(ContextError, match="body must be a JSON object"):
        HandoffContext.from_json(body)


def test_a_context_error_is_a_value_error():
    """Callers that catch ValueError for bad input also catch a bad context."""
    assert issubclass(ContextError, ValueError)


def test_building_a_context_directly_checks_it_too():
    """The dataclasses check their fields when the action server builds them, not only on read."""
    with pytest.raises(ContextError, match="conversation_id"):
        HandoffContext("h1", "", Trigger("turns"), Risk("assistance"))
    with pytest.raises(ContextError, match=r"risk\.tier"):
        Risk("automation")
