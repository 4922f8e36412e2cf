"""The assistant's facts about each turn reach the handoff service's store, through the real
assistant, action server and handoff service: what it made of each customer message and
whether the turn met, left open or failed the customer's goal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from contract.customer_keys import email_hash
from handoff.store import open_store

from .clients import Customer

pytestmark = pytest.mark.stack

BOT_TIMEOUT = 60.0


async def _turns(stack: Any, conversation_id: str, count: int) -> list[dict[str, Any]]:
    """The conversation's stored turns, once there are ``count`` (kept just after the answer)."""
    store = open_store(stack.database_url)
    await store.open()
    try:
        for _ in range(100):
            rows = await store.turns(conversation_id)
            if len(rows) >= count:
                return rows
            await asyncio.sleep(0.1)
        raise AssertionError(f"{len(rows)} turns stored, expected {count}: {rows}")
    finally:
        await store.close()


async def _say(customer: Customer, text: str) -> int:
    seq = await customer.say(text)
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    return seq


async def test_an_order_lookup_is_open_while_the_form_asks_then_met_with_its_keys(
    stack: Any,
) -> None:
    customer = Customer(stack.base_url)
    await customer.connect()
    asked = await _say(customer, "where is my order NW-10007")
    answered = await _say(customer, "dana@example.com")
    rows = await _turns(stack, str(customer.conversation_id), 2)
    by_seq = {row["seq"]: row for row in rows}
    assert set(by_seq) == {asked, answered}
    first, second = by_seq[asked], by_seq[answered]
    assert (first["goal"], first["intent"], first["topic"]) == ("open", "track_order", "orders")
    assert first["order_ref"] == "NW-10007" and first["email_hash"] is None
    assert (second["goal"], second["topic"], second["order_ref"]) == ("met", "orders", "NW-10007")
    assert second["email_hash"] == email_hash("dana@example.com")
    assert 0.0 < first["confidence"] <= 1.0
    bot_texts = " ".join(m["text"] for m in customer.messages("bot"))
    assert "goal" not in bot_texts and "NW-10007" in bot_texts
    await customer.close()


async def test_gibberish_is_a_failed_turn_and_a_greeting_has_nothing_to_judge(stack: Any) -> None:
    customer = Customer(stack.base_url)
    await customer.connect()
    greeted = await _say(customer, "hello")
    garbled = await _say(customer, "blorf qwizzle zzkt vrrm")
    rows = {row["seq"]: row for row in await _turns(stack, str(customer.conversation_id), 2)}
    assert rows[greeted]["goal"] == "none" and rows[greeted]["intent"] == "greet"
    assert rows[garbled]["goal"] == "failed" and rows[garbled]["topic"] is None
    await customer.close()
