"""Imminent danger, end to end: the safety message before anything else, then an emergency
handoff that an agent of any team receives first, at priority 0, counted in /metrics."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from .clients import Customer, new_agent

pytestmark = pytest.mark.stack

BOT_TIMEOUT = 60.0
DANGER = "The space heater I bought from you is smoking and sparking right now"


async def emergencies(stack: Any) -> int:
    async with aiohttp.ClientSession() as session, session.get(stack.base_url + "/metrics") as r:
        text = await r.text()
    [line] = [x for x in text.splitlines() if x.startswith("handoff_emergencies_total ")]
    return int(float(line.split()[1]))


async def test_smoke_and_sparks_get_the_safety_message_then_an_emergency_handoff(
    stack: Any,
) -> None:
    before = await emergencies(stack)
    agent = new_agent(stack, "Emergency Agent", capacity=50)
    await agent.connect()
    customer = Customer(stack.base_url)
    await customer.connect()
    await customer.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "bot", timeout=BOT_TIMEOUT
    )
    seq = await customer.say(DANGER)
    await customer.wait_for(
        lambda f: f["type"] == "event" and f["event"] == "queued" and f["seq"] > seq,
        timeout=BOT_TIMEOUT,
    )
    assigned = await agent.wait_for(
        lambda f: f["type"] == "assigned" and f["conversation_id"] == customer.conversation_id,
        timeout=BOT_TIMEOUT,
    )

    after = [
        f for f in customer.frames if f.get("seq", 0) > seq and f["type"] in ("message", "event")
    ]
    first = after[0]
    assert first["type"] == "message" and first["sender"] == "bot"
    assert "local emergency number" in first["text"]
    queued = next(i for i, f in enumerate(after) if f["type"] == "event" and f["event"] == "queued")
    announcement = next(
        i
        for i, f in enumerate(after)
        if f["type"] == "message" and "bringing in a person" in f["text"]
    )
    assert 0 < announcement < queued

    context = assigned["context"]
    assert context["risk"]["tier"] == "emergency"
    assert context["risk"]["reasons"][0] == "imminent danger: smoke and sparks"
    assert (context["trigger"]["kind"], context["trigger"]["value"]) == ("risk", "emergency")
    assert await emergencies(stack) == before + 1

    await agent.send(
        {"type": "close", "conversation_id": customer.conversation_id, "resolution": "resolved"}
    )
    await customer.close()
    await agent.close()


async def test_a_danger_in_the_middle_of_a_form_interrupts_it_in_the_same_turn(stack: Any) -> None:
    customer = Customer(stack.base_url)
    await customer.connect()
    await customer.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "bot", timeout=BOT_TIMEOUT
    )
    seq = await customer.say("where is my order NW-10001")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)  # the form asks for the email
    seq = await customer.say("hang on, the charger just caught fire")
    reply = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "local emergency number" in reply["text"]
    await customer.close()
