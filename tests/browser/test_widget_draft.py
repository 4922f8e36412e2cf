"""Assistance tier: the reply the assistant prepared waits for the agent's decision.

The assistant prepares drafts only for some requests, so this test hands the conversation
over through the service's real intake endpoint (what the action server calls) with a
context that carries a draft. Everything else is the real product."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timezone

from playwright.sync_api import expect

DRAFT = "I've started a refund of EUR 39.00 for order NW-10001."


def hand_over_with_draft(product, conversation_id: str) -> None:
    context = {
        "handoff_id": f"{conversation_id}:draft",
        "conversation_id": conversation_id,
        "created_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "trigger": {
            "kind": "risk",
            "value": 39.0,
            "threshold": 25.0,
            "detail": "refund of 39.00 is above 25.00",
        },
        "risk": {"tier": "assistance", "reasons": ["refund above the self-service limit"]},
        "topic": "refunds",
        "summary": "Customer asks for a refund of the skillet in NW-10001.",
        "customer": {
            "verified": True,
            "method": "signed_token",
            "customer_id": "C1001",
            "name": "Maya Chen",
        },
        "slots": {"order_id": "NW-10001"},
        "turns": [],
        "sentiment": {"latest": 0.0, "mean": 0.0, "trend": [0.0]},
        "draft": {
            "reply": DRAFT,
            "action": {"type": "refund", "order_id": "NW-10001", "amount": 39.0},
        },
        "redactions": [],
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
        assert response.status in (200, 201)


def test_an_assistance_draft_reaches_the_customer_only_as_the_agent_edited_it(
    customer, make_agent, product, shoot
):
    agent = make_agent("Noor")
    customer.start(as_maya=True)
    conversation_id = customer.conversation_id()
    hand_over_with_draft(product, conversation_id)
    view = agent.open(conversation_id)
    draft = view.get_by_role("region", name="Draft from the assistant")
    expect(draft.get_by_label("Reply the assistant prepared")).to_have_value(DRAFT)
    shoot(agent.page, "console-draft")
    expect(customer.log).not_to_contain_text("refund of EUR 39.00")
    draft.get_by_label("Reply the assistant prepared").fill(
        DRAFT + " It will show within 5 business days."
    )
    draft.get_by_role("button", name="Send my edit").click()
    expect(customer.messages().last).to_contain_text("It will show within 5 business days.")
    expect(view.get_by_text("Draft edited and sent.")).to_be_visible()


def test_a_rejected_draft_never_reaches_the_customer(customer, make_agent, product):
    agent = make_agent("Omar")
    customer.start(as_maya=True)
    conversation_id = customer.conversation_id()
    hand_over_with_draft(product, conversation_id)
    view = agent.open(conversation_id)
    view.get_by_role("region", name="Draft from the assistant").get_by_role(
        "button", name="Reject"
    ).click()
    expect(view.get_by_text("Draft rejected; nothing was sent.")).to_be_visible()
    agent.send(conversation_id, "Let me look at this myself.")
    expect(customer.messages("agent").last).to_contain_text("Let me look at this myself.")
    expect(customer.log).not_to_contain_text("refund of EUR 39.00")
