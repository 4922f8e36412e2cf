"""Suggested replies for agents (assistant/suggestions.py), from parsed messages and the shop."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import replies
from actions.shop import Shop
from assistant.suggestions import MAX_SUGGESTIONS, PastReply, suggest

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "data/responses/faq.yml").read_text())["responses"]
MAYA = {"verified": True, "customer_id": "C1001", "order_id": None}
DANA = {"verified": True, "customer_id": "C1003", "order_id": "NW-10007"}
UNVERIFIED = {"verified": None, "customer_id": None, "order_id": "NW-10001"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    shop = Shop(tmp_path_factory.mktemp("shop") / "shop.db", today=lambda: date(2026, 11, 23))
    shop.ensure_seeded()
    return shop


def parsed(intent: str, confidence: float = 0.93, order_id: str | None = None) -> dict[str, Any]:
    entities = [{"entity": "order_id", "value": order_id}] if order_id else []
    return {"intent": {"name": intent, "confidence": confidence}, "entities": entities}


@pytest.mark.parametrize(
    ("intent", "confidence", "expected"),
    [
        ("faq_shipping_times", 0.93, RESPONSES["utter_faq_shipping_times"][0]["text"]),
        ("faq_return_policy", 0.61, RESPONSES["utter_faq_return_policy"][0]["text"]),
        ("faq_payment_methods", 0.45, RESPONSES["utter_faq_payment_methods"][0]["text"]),
    ],
)
def test_a_recognised_faq_suggests_the_assistants_own_answer(
    shop: Shop, intent: str, confidence: float, expected: str
) -> None:
    found = suggest(parsed(intent, confidence), {}, RESPONSES, shop)
    assert [(s.text, s.source) for s in found] == [(expected, "assistant")]
    assert intent.replace("_", " ") in found[0].label


@pytest.mark.parametrize(
    ("parse", "past"),
    [
        # gibberish: the fallback classifier's intent, and no agent ever answered anything like it
        (parsed("nlu_fallback", 0.45), [PastReply("where is my parcel", "It ships today.", 0.08)]),
        (parsed("faq_shipping_times", 0.31), []),  # below the assistant's own threshold
        (parsed("out_of_scope", 0.9), []),  # the domain's answer is a refusal, not a reply
        ({"intent": None, "entities": []}, []),
        ({}, []),
    ],
)
def test_a_message_nobody_could_answer_gets_no_suggestion(
    shop: Shop, parse: dict[str, Any], past: list[PastReply]
) -> None:
    assert suggest(parse, {}, RESPONSES, shop, past) == []


@pytest.mark.parametrize(
    ("parse", "slots", "order", "kind"),
    [
        (parsed("track_order", order_id="NW-10001"), MAYA, "NW-10001", "status"),
        (parsed("track_order", order_id="nw 10002"), MAYA, "NW-10002", "status"),
        (parsed("track_order"), DANA, "NW-10007", "status"),  # the order id from the slot
        (parsed("return_status"), DANA, "NW-10007", "return"),
    ],
)
def test_an_order_question_is_answered_from_the_shops_data(
    shop: Shop, parse: dict[str, Any], slots: dict[str, Any], order: str, kind: str
) -> None:
    found = suggest(parse, slots, RESPONSES, shop)
    expected = (
        replies.order_status(shop.order(order))
        if kind == "status"
        else replies.return_status(shop.return_for(order), order)
    )
    assert [(s.text, s.source) for s in found] == [(expected, "shop")]
    assert order in found[0].label


def test_the_shop_answer_states_the_real_status_and_dates(shop: Shop) -> None:
    [found] = suggest(parsed("track_order", order_id="NW-10001"), MAYA, RESPONSES, shop)
    order = shop.order("NW-10001")
    assert order.status == "shipped"
    assert str(order.tracking_number) in found.text and "shipped on" in found.text


@pytest.mark.parametrize(
    ("parse", "slots"),
    [
        (parsed("track_order", order_id="NW-10001"), UNVERIFIED),  # nobody verified
        (parsed("track_order", order_id="NW-10005"), MAYA),  # another customer's order
        (parsed("track_order", order_id="NW-99999"), MAYA),  # no such order
        (parsed("track_order"), MAYA),  # no order named
        (parsed("check_balance", order_id="NW-10001"), MAYA),  # not an order question
    ],
)
def test_no_shop_answer_without_a_verified_customers_own_order(
    shop: Shop, parse: dict[str, Any], slots: dict[str, Any]
) -> None:
    assert [s for s in suggest(parse, slots, RESPONSES, shop) if s.source == "shop"] == []


def test_past_agent_replies_to_similar_messages_come_most_similar_first(shop: Shop) -> None:
    past = [
        PastReply("my parcel is late", "Sorry! I have asked the carrier.", 0.71),
        PastReply("do you sell gift cards", "Yes, from 10 to 200.", 0.12),
        PastReply("parcel still not here", "Let me check with the courier.", 0.83),
    ]
    found = suggest(parsed("nlu_fallback", 0.3), {}, RESPONSES, shop, past)
    assert [s.text for s in found] == [
        "Let me check with the courier.",
        "Sorry! I have asked the carrier.",
    ]
    assert {s.source for s in found} == {"agents"}
    assert '"parcel still not here"' in found[0].label


def test_at_most_three_distinct_suggestions_with_the_assistants_first(shop: Shop) -> None:
    answer = RESPONSES["utter_faq_shipping_times"][0]["text"]
    past = [PastReply(f"shipping time {i}?", f"About {i} days.", 0.9 - i / 100) for i in range(5)]
    past.append(PastReply("how long is shipping", "  " + answer.upper() + " ", 0.95))
    found = suggest(parsed("faq_shipping_times"), {}, RESPONSES, shop, past)
    assert len(found) == MAX_SUGGESTIONS
    assert found[0].source == "assistant"
    assert [s.text for s in found[1:]] == ["About 0 days.", "About 1 days."]
