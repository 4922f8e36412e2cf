"""The handoff summary: the request in the customer's words, what was verified and tried, and
why a person is needed, in at most three short lines, for a table of conversations."""

from __future__ import annotations

import pytest

from actions.context import turns_from_events
from actions.risk import RiskDecision
from actions.summary import MAX_QUOTE, summary, tried_from_events

ASKED = {"kind": "customer_request", "detail": "the customer asked for a person"}
MAYA = {"verified": True, "method": "signed_token", "customer_id": "C1001", "name": "Maya Chen"}


def user(text, intent="inform"):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def bot(text):
    return {"event": "bot", "text": text}


def action(name):
    return {"event": "action", "name": name}


# (conversation events, customer, slots, trigger, risk, topic, expected summary lines)
CONVERSATIONS = [
    pytest.param(
        [
            user("Where is my order NW-10001?", "track_order"),
            action("action_track_order"),
            bot("Order NW-10001 shipped on 20 Nov."),
            user("I want to talk to a human", "request_human"),
        ],
        MAYA,
        {"order_id": "NW-10001", "order_status": "shipped"},
        ASKED,
        None,
        "order status",
        [
            'About order status: "Where is my order NW-10001?"',
            "Verified: Maya Chen (signed in), order NW-10001 (shipped). "
            "Tried: looked up the order.",
            "Needs a person: the customer asked for a person.",
        ],
        id="a tracked order, then a request for a person",
    ),
    pytest.param(
        [
            user("asdf qwer", "out_of_scope"),
            action("utter_default"),
            user("zzz blorp", "out_of_scope"),
            action("utter_default"),
        ],
        None,
        {},
        {"kind": "low_confidence_streak", "detail": "2 messages in a row were not understood"},
        None,
        "",
        [
            'About their request: "asdf qwer"',
            "Nothing verified. Tried: asked to rephrase twice.",
            "Needs a person: 2 messages in a row were not understood.",
        ],
        id="gibberish twice",
    ),
    pytest.param(
        [
            user("How long does shipping take?", "faq_shipping_times"),
            action("utter_faq_shipping_times"),
            user("and I was charged twice for NW-10004, I will dispute it", "payment_dispute"),
            action("order_form"),
        ],
        {"verified": True, "method": "order_email", "customer_id": "C1004", "name": None},
        {},
        {"kind": "risk", "detail": "escalation: payment dispute needs a person"},
        RiskDecision("escalation", ("payment dispute needs a person",)),
        "payments",
        [
            'About payments: "and I was charged twice for NW-10004, I will dispute it"',
            "Verified: C1004 (order number and email), order NW-10004. Tried: answered from "
            "the FAQ (shipping times), asked for the order number.",
            "Needs a person: escalation: payment dispute needs a person.",
        ],
        id="an FAQ answer, then a payment dispute",
    ),
    pytest.param(
        [user("(asked to talk to a person)", "request_human")],
        {"verified": False, "name": "Sam"},
        {},
        ASKED,
        RiskDecision("escalation", ("the customer asked for a person",)),
        "returns",
        [
            "About returns.",
            "Nothing verified.",
            "Needs a person: the customer asked for a person.",
        ],
        id="only the button, nothing else said",
    ),
    pytest.param(
        [user("this is useless, I am furious", "complaint")],
        None,
        {},
        {"kind": "sentiment", "detail": "customer sentiment -0.79 is at or below -0.6"},
        RiskDecision("escalation", ("angry customer (sentiment -0.79 is at or below -0.60)",)),
        "orders",
        [
            'About orders: "this is useless, I am furious"',
            "Nothing verified.",
            "Needs a person: customer sentiment -0.79 is at or below -0.6; angry customer "
            "(sentiment -0.79 is at or below -0.60).",
        ],
        id="an angry customer",
    ),
]


@pytest.mark.parametrize(
    ("events", "customer", "slots", "trigger", "risk", "topic", "expected"), CONVERSATIONS
)
def test_the_summary_of_each_conversation(events, customer, slots, trigger, risk, topic, expected):
    turns = turns_from_events(events)
    text = summary(turns, topic, customer, trigger, risk, slots, tried_from_events(events))
    assert text.split("\n") == expected


def test_the_summary_quotes_the_request_not_the_ask_for_a_person():
    turns = [
        {"sender": "customer", "text": "Where is my order NW-10001?", "intent": "track_order"},
        {"sender": "customer", "text": "I want to talk to a human", "intent": "request_human"},
    ]
    text = summary(turns, "orders", None, {"kind": "customer_request"})
    assert '"Where is my order NW-10001?"' in text
    assert "talk to a human" not in text


def test_a_risk_reason_that_restates_the_trigger_is_said_once():
    text = summary([], "orders", None, ASKED, RiskDecision("escalation", (ASKED["detail"],)))
    assert text.count(ASKED["detail"]) == 1


def test_a_long_request_is_cut_and_the_summary_never_exceeds_three_lines():
    text = summary([{"sender": "customer", "text": "word " * 60}], "faq", None, {"kind": "turns"})
    lines = text.split("\n")
    assert len(lines) == 3 and lines[0].endswith('..."')
    assert len(lines[0]) <= len('About faq: ""') + MAX_QUOTE


def test_what_was_tried_names_each_step_once_and_counts_rephrasing():
    events = [
        action("action_track_order"),
        action("action_listen"),
        action("action_track_order"),
        action("utter_ask_rephrase"),
        action("utter_default"),
        action("utter_default"),
        {"event": "user", "name": "action_cancel_order"},
    ]
    assert tried_from_events(events) == ["looked up the order", "asked to rephrase 3 times"]


def test_at_most_three_things_tried_are_listed():
    tried = ["a", "b", "c", "d"]
    assert (
        summary([], "x", None, ASKED, tried=tried).split("\n")[1]
        == "Nothing verified. Tried: a, b, c."
    )
