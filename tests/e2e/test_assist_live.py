"""The assistant's assist endpoint, for real: the trained model, the tracker store and the shop
behind the Rasa server the stack starts, called on loopback the way handoff/service/assist.py
calls it."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import aiohttp
import pytest

from handoff.service.assist import AssistClient, AssistUnavailable

pytestmark = pytest.mark.stack
TIMEOUT = 60.0


def customer_token(stack: Any, customer_id: str) -> str:
    url = f"{stack.base_url}/demo/customer-token?customer_id={customer_id}"
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(json.load(response)["customer_token"])


async def signed_in_conversation(stack: Any, customer_id: str) -> str:
    """A conversation whose customer is verified by a signed token; its id once it started."""
    ws_url = stack.base_url.replace("http://", "ws://") + "/ws/customer"
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(ws_url, origin=stack.base_url)
        hello = {"type": "hello", "customer_token": customer_token(stack, customer_id)}
        await ws.send_json(hello)
        conversation_id = None
        while True:
            frame = await ws.receive_json(timeout=TIMEOUT)
            if frame["type"] == "welcome":
                conversation_id = frame["conversation_id"]
            if frame["type"] == "message" and frame["sender"] == "bot":
                await ws.close()
                return str(conversation_id)


async def suggest(stack: Any, cid: str, text: str, past: list[dict[str, str]] | None = None):
    client = AssistClient(stack.rasa_url, stack.assist_token, timeout=TIMEOUT)
    try:
        return await client.suggest(cid, text, past or [])
    finally:
        await client.close()


async def test_the_endpoint_answers_only_with_the_shared_token(stack: Any) -> None:
    url = f"{stack.rasa_url}/webhooks/assist/suggest"
    body = {"conversation_id": "c1", "text": "how long does shipping take?"}
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"X-Assist-Token": "x" * 32}):
            async with session.post(url, json=body, headers=headers) as response:
                assert response.status == 401
    client = AssistClient(stack.rasa_url, "wrong-" + stack.assist_token)
    with pytest.raises(AssistUnavailable, match="401"):
        await client.suggest("c1", "how long does shipping take?", [])
    await client.close()


async def test_an_faq_question_gets_the_assistants_own_answer(stack: Any) -> None:
    [found] = await suggest(stack, "live-faq", "How long does shipping take?")
    assert found["source"] == "assistant"
    assert found["text"].startswith("Standard shipping takes 3-5 business days")


async def test_an_order_question_gets_the_status_from_the_shop(stack: Any) -> None:
    cid = await signed_in_conversation(stack, "C1001")
    found = await suggest(stack, cid, "where is my order NW-10001?")
    shop = [s for s in found if s["source"] == "shop"]
    assert len(shop) == 1 and "Order NW-10001 shipped on" in shop[0]["text"]


async def test_an_order_of_an_unverified_customer_gets_no_shop_answer(stack: Any) -> None:
    found = await suggest(stack, "live-anonymous", "where is my order NW-10001?")
    assert [s for s in found if s["source"] == "shop"] == []


async def test_gibberish_gets_no_suggestion_even_with_past_replies(stack: Any) -> None:
    past = [{"customer": "where is my parcel?", "reply": "It left our warehouse today."}]
    assert await suggest(stack, "live-gibberish", "qwxz vlorp fnargh zzkt", past) == []


async def test_a_past_agent_reply_to_a_similar_message_is_offered(stack: Any) -> None:
    past = [
        {"customer": "Can I pay with bitcoin?", "reply": "Sorry, we don't take crypto."},
        {"customer": "where is my parcel?", "reply": "It left our warehouse today."},
    ]
    found = await suggest(stack, "live-similar", "do you accept bitcoin payments", past)
    assert ("Sorry, we don't take crypto.", "agents") in [(s["text"], s["source"]) for s in found]
    assert "It left our warehouse today." not in [s["text"] for s in found]
