"""The handoff context carries the conversation to an agent, redacted, in the protocol's shape."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from actions.context import (
    build_context,
    handoff_id,
    intent_names,
    iso_utc,
    json_safe_slots,
    sentiment_block,
    turns_from_events,
)
from actions.risk import RiskDecision

T0 = 1795400000.0
NOW = datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)
ESCALATION = RiskDecision("escalation", ("angry customer (sentiment -0.82 is at or below -0.60)",))
TRIGGER = {
    "kind": "sentiment",
    "value": -0.82,
    "threshold": -0.5,
    "detail": "customer sentiment -0.82 is below -0.5",
}


def user(text, intent="inform", confidence=0.97, entities=(), sentiment=None, ts=T0):
    """A user event exactly as Rasa's UserUttered.as_dict() writes it."""
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "entities": [dict(e) for e in entities],
        "text": text,
        "message_id": None,
        "metadata": {},
    }
    if sentiment is not None:
        parse_data["sentiment"] = {"compound": sentiment, "neg": 0.5, "neu": 0.5, "pos": 0.0}
    return {
        "event": "user",
        "timestamp": ts,
        "text": text,
        "parse_data": parse_data,
        "input_channel": "rest",
        "message_id": "m1",
        "metadata": {},
    }


def bot(text, ts=T0, buttons=None):
    """A bot event exactly as Rasa's BotUttered.as_dict() writes it."""
    data = {
        "elements": None,
        "quick_replies": None,
        "buttons": buttons,
        "attachment": None,
        "image": None,
        "custom": None,
    }
    return {
        "event": "bot",
        "timestamp": ts,
        "metadata": {"utter_action": "utter_x"},
        "text": text,
        "data": data,
    }


def action(name, ts=T0):
    return {
        "event": "action",
        "timestamp": ts,
        "name": name,
        "policy": None,
        "confidence": None,
        "action_text": None,
        "hide_rule_turn": False,
    }


CONVERSATION = [
    action("action_session_start"),
    {"event": "session_started", "timestamp": T0},
    user("/session_start", intent="session_start", confidence=1.0),
    bot(
        "Hi! I'm the Northwind assistant, an AI.",
        ts=T0 + 1,
        buttons=[{"title": "Track an order", "payload": "/track_order"}],
    ),
    user("/track_order", intent="track_order", confidence=1.0, ts=T0 + 2),
    bot("Which order?", ts=T0 + 3),
    user(
        "it's NW-10007, my email is dana@example.com",
        ts=T0 + 4,
        sentiment=0.0,
        entities=[
            {"entity": "order_id", "value": "NW-10007", "start": 5, "end": 13},
            {"entity": "email", "value": "dana@example.com", "start": 27, "end": 43},
        ],
    ),
    {"event": "slot", "timestamp": T0 + 4, "name": "order_id", "value": "NW-10007"},
    bot("Thanks, I found your order.", ts=T0 + 5),
    user(
        "where is my refund?? call me on 555-123-4567",
        intent="return_status",
        ts=T0 + 6,
        sentiment=-0.2,
    ),
    user(
        "this is ridiculous, dana@example.com has waited weeks",
        intent="complain",
        ts=T0 + 7,
        sentiment=-0.82,
    ),
]
SLOTS = {
    "order_id": "NW-10007",
    "email": "dana@example.com",
    "order_status": "returned",
    "requested_slot": None,
    "session_started_metadata": {"customer_token": "abc.def"},
    "customer_token": "abc.def",
}
CUSTOMER = {
    "verified": True,
    "method": "signed_token",
    "customer_id": "C1003",
    "name": "Dana Whitfield",
}


def refund_context(**extra):
    """The context of CONVERSATION; ``extra`` sets build_context's optional arguments."""
    return build_context(
        conversation_id="c0ffee",
        events=CONVERSATION,
        slots=SLOTS,
        trigger=TRIGGER,
        risk=ESCALATION,
        customer=CUSTOMER,
        topic="refunds",
        draft=None,
        now=NOW,
        **extra,
    )


@pytest.fixture(scope="module")
def context():
    return refund_context()


def test_context_has_exactly_the_protocol_fields(context):
    """The body has the keys of docs/protocol.md and nothing else."""
    assert set(context) == {
        "handoff_id",
        "conversation_id",
        "created_at",
        "trigger",
        "risk",
        "topic",
        "language",
        "summary",
        "customer",
        "slots",
        "turns",
        "sentiment",
        "draft",
        "redactions",
    }
    assert context["created_at"] == "2026-11-23T05:00:00.000Z"
    assert context["risk"] == {"tier": "escalation", "reasons": list(ESCALATION.reasons)}


def test_context_is_json_serialisable(context):
    """The body survives json.dumps unchanged."""
    assert json.loads(json.dumps(context)) == context


def test_handoff_id_is_the_conversation_and_last_user_event_index(context):
    """The id names the triggering user event, so a retried action posts the same id."""
    assert context["handoff_id"] == "c0ffee:10"
    assert handoff_id("c0ffee", [*CONVERSATION, bot("ok")]) == "c0ffee:10"
    assert handoff_id("c0ffee", [*CONVERSATION, user("more")]) == "c0ffee:11"
    assert handoff_id("c0ffee", []) == "c0ffee:-1"


def test_customer_turns_carry_intent_confidence_entities_and_sentiment(context):
    """A typed customer message keeps its NLU reading, with personal data redacted."""
    turn = context["turns"][3]
    assert turn == {
        "sender": "customer",
        "text": "it's NW-10007, my email is [EMAIL_1]",
        "timestamp": "2026-11-23T02:13:24.000Z",
        "intent": "inform",
        "confidence": 0.97,
        "entities": [
            {"entity": "order_id", "value": "NW-10007"},
            {"entity": "email", "value": "[EMAIL_1]"},
        ],
        "sentiment": 0.0,
        "signals": [],
    }


def test_bot_turns_carry_text_and_timestamp(context):
    """Bot messages are turns with sender bot."""
    assert context["turns"][0] == {
        "sender": "bot",
        "text": "Hi! I'm the Northwind assistant, an AI.",
        "timestamp": "2026-11-23T02:13:21.000Z",
    }


def test_gateway_commands_are_skipped_but_pressed_buttons_are_kept(context):
    """/session_start disappears; the offered quick reply shows with its title."""
    texts = [t["text"] for t in context["turns"]]
    assert "/session_start" not in texts
    assert texts[1] == "Track an order"
    assert context["turns"][1]["intent"] == "track_order"


def test_a_slash_message_that_was_not_offered_is_skipped():
    """A /payload the bot did not offer is an internal command, not a customer turn."""
    events = [
        bot("Hello", buttons=[{"title": "Yes", "payload": "/affirm"}]),
        user("/deny", intent="deny"),
        user('/handback{"agent_outcome": "x"}'),
    ]
    assert [t["text"] for t in turns_from_events(events)] == ["Hello"]


def test_asking_for_a_person_is_kept_as_a_readable_turn():
    """/request_human shows the agent that the customer asked for a person."""
    turns = turns_from_events([user("/request_human", intent="request_human", confidence=1.0)])
    assert [t["text"] for t in turns] == ["(asked to talk to a person)"]


def test_the_same_value_keeps_one_placeholder_across_the_transcript(context):
    """The email in turn 4 and turn 7 and in the slots is the same [EMAIL_1]."""
    assert context["turns"][-1]["text"] == "this is ridiculous, [EMAIL_1] has waited weeks"
    assert context["slots"]["email"] == "[EMAIL_1]"
    assert context["turns"][-2]["text"] == "where is my refund?? call me on [PHONE_1]"


def test_redactions_list_each_placeholder_once_with_its_original(context):
    """Agents get placeholders; the originals are listed once each for reveal."""
    assert context["redactions"] == [
        {"placeholder": "[EMAIL_1]", "kind": "email", "value": "dana@example.com"},
        {"placeholder": "[PHONE_1]", "kind": "phone", "value": "555-123-4567"},
    ]


def test_no_original_personal_data_remains_outside_redactions(context):
    """Nothing but the redactions block contains the email or the phone."""
    body = json.dumps({k: v for k, v in context.items() if k != "redactions"})
    assert "dana@example.com" not in body and "555-123-4567" not in body


def test_slots_drop_nulls_and_credentials(context):
    """Empty slots, the session metadata and token-like slots never reach an agent."""
    assert context["slots"] == {
        "order_id": "NW-10007",
        "email": "[EMAIL_1]",
        "order_status": "returned",
    }


def test_slots_are_made_json_safe():
    """Values JSON cannot carry are turned into strings."""
    from decimal import Decimal

    assert json_safe_slots({"amount": Decimal("12.50"), "n": 2, "flag": False}) == {
        "amount": "12.50",
        "n": 2,
        "flag": False,
    }


@pytest.mark.parametrize(
    "scores, expected",
    [
        ([], {"latest": None, "mean": None, "trend": []}),
        ([0.0, -0.2, -0.82], {"latest": -0.82, "mean": -0.34, "trend": [0.0, -0.2, -0.82]}),
        ([None, 0.5], {"latest": 0.5, "mean": 0.5, "trend": [0.5]}),
        ([0.1] * 12, {"latest": 0.1, "mean": 0.1, "trend": [0.1] * 10}),
    ],
)
def test_sentiment_block_has_latest_mean_and_recent_trend(scores, expected):
    """Turns without a score are left out; the trend keeps the last ten."""
    turns = [{"sender": "customer", "text": "x", "sentiment": s} for s in scores]
    assert sentiment_block([*turns, {"sender": "bot", "text": "y"}]) == expected


def test_missing_sentiment_in_parse_data_is_none():
    """Without the sentiment component's output the turn's sentiment is None."""
    assert turns_from_events([user("hello there")])[0]["sentiment"] is None


def test_the_summary_is_built_from_the_redacted_conversation(context):
    """The summary quotes with placeholders, not personal data (tests/actions/test_summary.py)."""
    assert context["summary"] == (
        'About refunds: "where is my refund?? call me on [PHONE_1]"\n'
        "Verified: Dana Whitfield (signed in), order NW-10007 (returned).\n"
        "Needs a person: customer sentiment -0.82 is below -0.5; angry customer (sentiment "
        "-0.82 is at or below -0.60)."
    )


def test_draft_is_carried_and_redacted():
    """An assistance draft reaches the agent with personal data replaced."""
    draft = {
        "reply": "I'll email a@b.co the label.",
        "action": {"kind": "start_return", "order_id": "NW-10003"},
    }
    body = build_context(
        conversation_id="c1",
        events=[user("return NW-10003, a@b.co")],
        slots={},
        trigger={"kind": "risk", "detail": "refund review"},
        risk=RiskDecision("assistance", ("refund 240.00 is above the review amount 150.00",)),
        customer=None,
        topic="returns",
        draft=draft,
        now=NOW,
    )
    assert body["draft"] == {
        "reply": "I'll email [EMAIL_1] the label.",
        "action": {"kind": "start_return", "order_id": "NW-10003"},
    }
    assert body["customer"] == {
        "verified": False,
        "method": None,
        "customer_id": None,
        "name": None,
    }
    assert body["summary"].endswith("\nNeeds a person: refund review.")


@pytest.mark.parametrize(
    "overrides, error",
    [
        ({"trigger": {"kind": "whim"}}, "trigger.kind"),
        ({"conversation_id": ""}, "conversation_id"),
        ({"now": datetime(2026, 11, 23, 5, 0)}, "timezone-aware"),
        ({"risk": RiskDecision("automation", ("routine faq request",))}, "risk tier"),
    ],
)
def test_bad_input_is_a_clear_error(overrides, error):
    """Unknown trigger kinds, missing ids, naive times and automation tier are refused."""
    kwargs = dict(
        conversation_id="c1",
        events=[],
        slots={},
        trigger=TRIGGER,
        risk=ESCALATION,
        customer=None,
        topic="faq",
        draft=None,
        now=NOW,
    )
    kwargs.update(overrides)
    with pytest.raises(ValueError, match=error):
        build_context(**kwargs)


def test_iso_utc_formats_unix_seconds_with_milliseconds():
    """Timestamps are ISO 8601 UTC with a Z."""
    assert iso_utc(0.1234) == "1970-01-01T00:00:00.123Z"


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        ([], "en"),
        ([{"code": "es", "confidence": 0.99, "words": 5, "english_share": 0.0}], "es"),
        ([{"code": "es", "confidence": 0.5, "words": 5, "english_share": 0.0}], "en"),
        (
            [
                {"code": "fr", "confidence": 0.99, "words": 5, "english_share": 0.0},
                {"code": "en", "confidence": 0.99, "words": 5, "english_share": 0.6},
            ],
            "fr",
        ),
    ],
)
def test_the_conversation_language_is_the_latest_confident_other_language(languages, expected):
    from actions.context import conversation_language
    from assistant.thresholds import Thresholds

    events = [{"event": "user", "text": "x", "parse_data": {"language": o}} for o in languages]
    assert conversation_language(events, Thresholds()) == expected


@pytest.mark.parametrize("language", ["", "spanish", "e1", None])
def test_a_language_that_is_not_an_iso_code_is_refused(language):
    with pytest.raises(ValueError, match="ISO 639-1"):
        build_context(
            conversation_id="c0ffee",
            events=CONVERSATION,
            slots=SLOTS,
            trigger=TRIGGER,
            risk=ESCALATION,
            customer=CUSTOMER,
            topic="refunds",
            draft=None,
            now=NOW,
            language=language,
        )


def test_the_assistants_intents_are_listed_for_the_agents_label_at_close():
    """The console offers them when the agent says what the customer actually wanted."""
    body = refund_context(intents=["track_order", "greet", "track_order"])
    assert body["intents"] == ["greet", "track_order"]


@pytest.mark.parametrize(
    ("domain", "names"),
    [
        ({"intents": ["greet", "track_order"]}, ["greet", "track_order"]),
        ({"intents": [{"greet": {"use_entities": []}}, "inform"]}, ["greet", "inform"]),
        ({}, []),
    ],
)
def test_intent_names_reads_both_ways_a_domain_lists_intents(domain, names):
    assert intent_names(domain) == names
