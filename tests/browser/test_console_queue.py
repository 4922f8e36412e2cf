"""The agent console: the queue ordered by consequence, and a context an agent reads at once.

The handoffs come in through the service's real intake endpoint (what the action server
calls), so each test controls exactly which triggers and reasons reach the queue; the
console, the service and its store are the real product."""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from datetime import datetime, timezone

from playwright.sync_api import expect


def hand_over(product, *, trigger, tier="escalation", reasons=(), sentiment=None, **fields):
    """Posts a handoff context for a new conversation; returns its id."""
    conversation_id = uuid.uuid4().hex
    context = {
        "handoff_id": f"{conversation_id}:1",
        "conversation_id": conversation_id,
        "created_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "trigger": trigger,
        "risk": {"tier": tier, "reasons": list(reasons)},
        "topic": "orders",
        "summary": "About orders.",
        "customer": {"verified": False, "method": None, "customer_id": None, "name": None},
        "slots": {},
        "turns": [],
        "sentiment": {"latest": sentiment, "mean": sentiment, "trend": []},
        "draft": None,
        "redactions": [],
        **fields,
    }
    request = urllib.request.Request(
        product.base_url + "/api/handoffs",
        data=json.dumps(context).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {product.intake_token}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
    return conversation_id


def angry(value=-0.7902):
    return {"kind": "sentiment", "value": value, "threshold": -0.6, "detail": "angry"}


GIBBERISH = {
    "kind": "low_confidence_streak",
    "value": 2,
    "threshold": 2,
    "detail": "2 messages in a row were not understood",
}
FIRE = {
    "kind": "risk",
    "value": "emergency",
    "threshold": "assistance",
    "detail": "emergency: imminent danger: smoke and sparks",
}
GDPR = {"kind": "risk", "value": "escalation", "threshold": "assistance", "detail": "gdpr"}


def test_the_queue_puts_the_most_consequential_first_and_says_why(product, make_agent, shoot):
    agent = make_agent("Quinn", available=False)
    gibberish = hand_over(product, trigger=GIBBERISH)
    first_angry = hand_over(product, trigger=angry(), sentiment=-0.7902)
    gdpr = hand_over(
        product, trigger=GDPR, reasons=["data protection request needs a person (gdpr)"]
    )
    second_angry = hand_over(product, trigger=angry(-0.91), sentiment=-0.91)
    fire = hand_over(
        product, trigger=FIRE, tier="emergency", reasons=["imminent danger: smoke and sparks"]
    )
    expected = {
        fire: ("P0", "Emergency: smoke and sparks"),
        gdpr: ("P1", "Data protection request"),
        first_angry: ("P3", "Angry customer (sentiment −0.79)"),
        second_angry: ("P3", "Angry customer (sentiment −0.91)"),
        gibberish: ("P5", "Not understood twice in a row"),
    }
    for conversation_id, (priority, why) in expected.items():
        card = agent.queue_item(conversation_id)
        expect(card.locator(".q-why")).to_have_text(why)
        expect(card.locator(".priority")).to_have_text(priority)
    shown = agent.page.locator("#queue li[data-conversation-id]").evaluate_all(
        "items => items.map((li) => li.dataset.conversationId)"
    )
    assert [c for c in shown if c in expected] == list(expected)
    shoot(agent.page, "console-queue-order")
    for conversation_id in expected:
        agent.claim(conversation_id)


def test_the_context_reads_in_plain_words_with_the_earlier_conversation_one_click_away(
    product, make_agent, shoot
):
    customer_id = f"C{uuid.uuid4().hex[:8]}"
    maya = {"verified": True, "method": "signed_token", "customer_id": customer_id}
    maya["name"] = "Maya Chen"
    earlier_summary = 'About returns: "the kettle leaks"\nNothing verified.\nNeeds a person.'
    hand_over(product, trigger=GIBBERISH, customer=maya, summary=earlier_summary, topic="returns")
    summary = (
        'About order status: "Where is my order NW-10001? This is a joke."\n'
        "Verified: Maya Chen (signed in), order NW-10001 (shipped). Tried: looked up the order.\n"
        "Needs a person: customer sentiment -0.79 is at or below -0.6."
    )
    slots = {
        "order_id": "NW-10001",
        "ai_disclosed": True,
        "request": "track_order",
        "failed_attempts": 0,
        "contact": {"name": "Maya Chen", "email": "[EMAIL_1]"},
        "handoff_trigger": angry(),
        "risk_tier": "escalation",
        "customer_id": customer_id,
    }
    current = hand_over(
        product,
        trigger=angry(),
        reasons=["angry customer (sentiment -0.79 is at or below -0.60)"],
        sentiment=-0.7902,
        customer=maya,
        slots=slots,
        summary=summary,
    )
    agent = make_agent("Rosa")
    view = agent.open(current)

    identity = view.get_by_role("region", name="Customer")
    expect(identity.locator("h3")).to_have_text("Maya Chen")
    expect(identity.locator(".verified.ok")).to_have_text(
        f"Verified: signed in to the shop · customer {customer_id}"
    )
    top = view.locator(".conv-context > *").first
    expect(top).to_have_attribute("aria-label", "Customer")

    expect(view.locator(".banner .trigger-sentence")).to_have_text(
        "Customer sentiment −0.79 crossed the −0.60 handoff threshold."
    )

    facts = view.get_by_role("region", name="Facts")
    rows = facts.locator("dt").all_inner_texts()
    values = facts.locator("dd").all_inner_texts()
    assert dict(zip(rows, values, strict=True)) == {
        "Order": "NW-10001",
        "Contact left": "Name: Maya Chen; Email: [EMAIL_1]",
        "Request": "Track order",
        "Told they are talking to an AI": "Yes",
        "Failed attempts": "0",
    }
    expect(facts).not_to_contain_text("{")
    expect(facts).not_to_contain_text("ai_disclosed")

    lines = view.get_by_role("region", name="Summary").locator(".summary-text")
    assert lines.inner_text().split("\n") == summary.split("\n")

    earlier = identity.locator("details.earlier")
    expect(earlier.locator(".earlier-summary")).to_be_hidden()
    earlier.get_by_text("1 earlier conversation").click()
    expect(earlier.locator(".earlier-head")).to_contain_text("returns · Not understood twice")
    expect(earlier.locator(".earlier-summary")).to_contain_text('"the kettle leaks"')
    shoot(agent.page, "console-context")


def test_a_customer_back_about_the_same_thing_shows_the_agent_the_earlier_transcript(
    product, customer, make_agent, shoot
):
    customer_id = f"C{uuid.uuid4().hex[:8]}"
    lena = {"verified": True, "method": "signed_token", "customer_id": customer_id}
    lena["name"] = "Lena Park"
    customer.start()
    customer.send_and_wait("Hi, I have a question about returns")
    earlier = customer.conversation_id()
    hand_over(product, trigger=GIBBERISH, customer=lena, topic="returns", conversation_id=earlier)
    customer.page.close()  # the customer leaves; a day later (here: now) they are back
    time.sleep(1.0)  # the service notices the socket close
    again = hand_over(product, trigger=angry(), customer=lena, topic="returns")

    agent = make_agent("Noor")
    view = agent.open(again)
    identity = view.get_by_role("region", name="Customer")
    expect(identity.locator(".recontact-line")).to_have_text(
        "Second contact about this within a day · see the earlier transcript"
    )
    transcript = identity.locator("details.recontact-transcript")
    expect(transcript.locator("ol")).to_be_hidden()
    identity.get_by_role("link", name="see the earlier transcript").click()
    expect(transcript.locator("ol")).to_be_visible()
    expect(transcript.locator("li").first).to_be_visible()
    expect(transcript).to_contain_text("Customer: Hi, I have a question about returns")
    expect(transcript).to_contain_text("Assistant: ")
    shoot(agent.page, "console-recontact")
