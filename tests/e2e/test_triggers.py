"""Every handoff trigger, end to end: the agent's socket receives the full context.

The customer's lines are those of the assistant's test stories (tests/stories/test_handoff.yml),
here sent through the widget's websocket to the real assistant, action server and handoff service.
"""

from __future__ import annotations

from typing import Any

import pytest

from .clients import Customer, new_agent

pytestmark = pytest.mark.stack

BOT_TIMEOUT = 60.0

SCRIPTS = {
    "chargeback": (
        ["I'm going to file a chargeback for NW-10003"],
        {"risk"},
        "escalation",
    ),
    "address change on a shipped order": (
        [
            "I need to change the shipping address of order NW-10001",
            "maya.chen@example.com",
            "12 Harbour Street, Leeds LS1 4AB, UK",
        ],
        {"risk"},
        "assistance",
    ),
    "refund above the review amount": (
        ["I want to return order NW-10005", "lars.eriksen@example.com"],
        {"risk"},
        "assistance",
    ),
    "cancellation above the review amount": (
        ["I'd like to cancel order NW-10000", "dana@example.com"],
        {"risk"},
        "assistance",
    ),
    "messages not understood": (
        ["what do you mean", "and the other stuff?"],
        {"low_confidence_streak", "nlu_confidence"},
        None,
    ),
    "the same question three times": (
        ["can you book me a flight", "can you book me a flight", "can you book me a flight?"],
        {"loop"},
        None,
    ),
    "turns without the goal met": (
        [
            "what's the weather like",
            "tell me a joke",
            "can you book me a flight",
            "who made you",
            "are you a robot",
            "recommend a movie",
        ],
        {"turns"},
        None,
    ),
}


@pytest.mark.parametrize("case", list(SCRIPTS))
async def test_each_trigger_hands_the_whole_context_to_an_agent(stack: Any, case: str) -> None:
    lines, kinds, tier = SCRIPTS[case]
    agent = new_agent(stack, "Trigger Agent", capacity=50)
    await agent.connect()
    customer = Customer(stack.base_url)
    await customer.connect()
    await customer.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "bot", timeout=BOT_TIMEOUT
    )
    for line in lines:
        seq = await customer.say(line)
        await customer.reply_after(seq, timeout=BOT_TIMEOUT)
        if any(f["type"] == "event" and f["event"] == "queued" for f in customer.frames):
            break  # handed off: what the customer writes now goes to the person

    assigned = await agent.wait_for(
        lambda f: f["type"] == "assigned" and f["conversation_id"] == customer.conversation_id,
        timeout=BOT_TIMEOUT,
    )
    context = assigned["context"]
    trigger = context["trigger"]
    assert trigger["kind"] in kinds
    # Counts (turns, a streak of messages not understood, repeats) fire at their threshold;
    # measures (a confidence) fire below theirs.
    counted = trigger["kind"] in ("turns", "low_confidence_streak", "loop")
    if isinstance(trigger["value"], int | float) and not counted:
        assert trigger["value"] < trigger["threshold"]
    if counted:
        assert trigger["value"] >= trigger["threshold"]
    if tier is not None:
        assert context["risk"]["tier"] == tier
        assert context["risk"]["reasons"]
    if tier == "assistance":
        assert context["draft"], "an assistance case carries the work the assistant prepared"
    said = [t["text"] for t in context["turns"] if t["sender"] == "customer"]
    assert said and said[0] == lines[0]
    assert context["summary"]

    await agent.send(
        {"type": "close", "conversation_id": customer.conversation_id, "resolution": "resolved"}
    )
    await customer.close()
    await agent.close()


async def test_a_customer_writing_in_spanish_reaches_an_agent_who_speaks_spanish(
    stack: Any,
) -> None:
    """Told in Spanish and English that the assistant speaks only English, then handed off
    with `language: es` to the agent who speaks it, not to the idle English-only one."""
    english = new_agent(stack, "English Agent", capacity=50)
    await english.connect()
    spanish = new_agent(stack, "Spanish Agent", capacity=50, languages=("es", "en"))
    await spanish.connect()
    customer = Customer(stack.base_url)
    await customer.connect()
    await customer.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "bot", timeout=BOT_TIMEOUT
    )
    seq = await customer.say("hola, dónde está mi pedido")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assigned = await spanish.wait_for(
        lambda f: f["type"] == "assigned" and f["conversation_id"] == customer.conversation_id,
        timeout=BOT_TIMEOUT,
    )
    context = assigned["context"]
    assert context["language"] == "es"
    assert (context["trigger"]["kind"], context["trigger"]["value"]) == ("language", "es")
    said = [
        f["text"]
        for f in customer.frames
        if f["type"] == "message" and f["sender"] == "bot" and f.get("seq", 0) > seq
    ]
    assert any("English" in text for text in said)
    assert any("solo hablo inglés" in text for text in said)

    await spanish.send(
        {"type": "close", "conversation_id": customer.conversation_id, "resolution": "resolved"}
    )
    await customer.close()
    await spanish.close()
    await english.close()
