"""The whole product end to end: the real assistant, action server and handoff service.

Scripted customers and agents talk over real websockets, the way the widget and the console do.
The product is started once for the run (the `stack` fixture); each test uses its own
conversation and its own agent account.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest

from .clients import Agent, Customer, new_agent

pytestmark = pytest.mark.stack

BOT_TIMEOUT = 60.0


def _customer_token(stack: Any, customer_id: str) -> str:
    url = f"{stack.base_url}/demo/customer-token?customer_id={customer_id}"
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(json.load(response)["customer_token"])


async def test_the_assistant_says_it_is_an_ai_before_the_customer_types(stack: Any) -> None:
    customer = Customer(stack.base_url)
    opening = await customer.start(BOT_TIMEOUT)
    assert "AI" in opening["text"]
    assert customer.messages("customer") == []
    await customer.close()


async def test_an_order_is_disclosed_only_after_the_email_on_it_is_given(stack: Any) -> None:
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("Where is my order NW-10001?")
    ask = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "email" in ask["text"].lower()
    assert "shipped" not in " ".join(m["text"].lower() for m in customer.messages("bot"))

    seq = await customer.say("maya.chen@example.com")
    answer = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "NW-10001" in answer["text"]
    assert "shipped" in answer["text"].lower()
    await customer.close()


async def test_a_message_no_flow_expects_gets_an_answer_and_the_flow_goes_on(stack: Any) -> None:
    """A "no" out of the blue gets the fallback answer (not silence), and the next request works."""
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("hello")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    seq = await customer.say("no")
    fallback = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "a person can" in fallback["text"]
    assert {"title": "Talk to a person", "payload": "/request_human"} in fallback["buttons"]

    seq = await customer.say("Where is my order NW-10001?")
    ask = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "email" in ask["text"].lower()
    await customer.close()


async def test_a_signed_in_customer_gets_the_store_credit_balance_from_the_shop(stack: Any) -> None:
    customer = Customer(stack.base_url, customer_token=_customer_token(stack, "C1003"))
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("What is my store credit balance?")
    answer = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "25.00" in answer["text"]
    await customer.close()


def _shop_rows(stack: Any, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """What the demo shop behind the stack holds now."""
    with sqlite3.connect(stack.workdir / "shop.db") as conn:
        return conn.execute(sql, args).fetchall()


async def test_an_unshipped_order_is_cancelled_and_refunded_once(stack: Any) -> None:
    """Cancelled with its refund explained; asking again refunds nothing; a shipped one stays."""
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("Please cancel my order NW-10002, I bought it by accident")
    ask = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "email" in ask["text"].lower()
    seq = await customer.say("maya.chen@example.com")
    done = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "NW-10002 is cancelled" in done["text"]
    assert "89.00 to your original payment method" in done["text"]
    assert _shop_rows(stack, "SELECT status FROM orders WHERE id='NW-10002'") == [("cancelled",)]

    seq = await customer.say("can you cancel NW-10002?")
    again = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "already cancelled" in again["text"]
    refunds = "SELECT refund_amount FROM cancellations WHERE order_id='NW-10002'"
    assert _shop_rows(stack, refunds) == [("89.00",)]

    seq = await customer.say("I also want to cancel order NW-10001")
    shipped = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "already shipped" in shipped["text"] and "start a return" in shipped["text"]
    assert _shop_rows(stack, "SELECT status FROM orders WHERE id='NW-10001'") == [("shipped",)]
    await customer.close()


async def test_a_delivered_order_is_returned_from_the_button_the_refusal_offers(
    stack: Any,
) -> None:
    """Too late to cancel NW-10003, so the reply offers a return; one tap starts it."""
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("I need to cancel NW-10003")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    seq = await customer.say("omar.haddad@example.com")
    refused = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "can't be cancelled" in refused["text"]
    [button] = refused["buttons"]
    assert button == {"title": "Start a return", "payload": "/start_return"}

    seq = await customer.press(button)
    started = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "R-10003" in started["text"] and "64.90" in started["text"]
    assert _shop_rows(stack, "SELECT status FROM returns WHERE order_id='NW-10003'") == [
        ("requested",)
    ]
    await customer.close()


@pytest.fixture
async def pair(stack: Any) -> AsyncIterator[tuple[Customer, Agent]]:
    """A customer in a new conversation with the assistant, and an agent online for them."""
    agent = new_agent(stack)
    await agent.connect()
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    yield customer, agent
    await agent.send(
        {"type": "close", "conversation_id": customer.conversation_id, "resolution": "resolved"}
    )
    await customer.close()
    await agent.close()


async def test_asking_for_a_person_hands_off_at_once_with_the_full_context(
    pair: tuple[Customer, Agent],
) -> None:
    customer, agent = pair
    first = await customer.say("Where is my order NW-10003?")
    await customer.reply_after(first, timeout=BOT_TIMEOUT)
    seq = await customer.say("I want to talk to a human")
    told = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "person" in told["text"].lower() or "agent" in told["text"].lower()

    assigned = await agent.take(customer.conversation_id)
    context = assigned["context"]
    assert context["trigger"]["kind"] == "customer_request"
    assert context["conversation_id"] == customer.conversation_id
    said = [t["text"] for t in context["turns"] if t["sender"] == "customer"]
    assert "Where is my order NW-10003?" in said
    assert "I want to talk to a human" in said
    assert context["risk"]["tier"] in {"assistance", "escalation"}
    assert context["summary"]
    texts = [f.get("text") for f in assigned["transcript"]]
    assert "I want to talk to a human" in texts


async def test_a_furious_customer_is_handed_off_by_sentiment_with_the_observed_score(
    pair: tuple[Customer, Agent],
) -> None:
    customer, agent = pair
    seq = await customer.say("This is absolutely terrible, I am furious, worst service ever!")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)

    context = (await agent.take(customer.conversation_id))["context"]
    trigger = context["trigger"]
    assert trigger["kind"] == "sentiment"
    assert trigger["value"] <= trigger["threshold"] < 0
    assert context["sentiment"]["latest"] == pytest.approx(trigger["value"], abs=0.01)


async def test_the_whole_journey_survives_reconnects_and_a_service_restart(stack: Any) -> None:
    """Bot → handoff → agent chat → reconnects → SIGKILL restart → hand back → close → CSAT."""
    agent = new_agent(stack)
    await agent.connect()
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("I need to speak to a person please")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    conversation_id = customer.conversation_id
    assert conversation_id is not None
    await agent.take(conversation_id)

    joined = await customer.wait_for(
        lambda f: f["type"] == "event" and f["event"] == "agent_joined", timeout=BOT_TIMEOUT
    )
    assert joined["agent_name"]

    await agent.say(conversation_id, "Hi, I'm here to help. What's the order number?")
    hello = await customer.wait_for(lambda f: f["type"] == "message" and f["sender"] == "agent")
    assert hello["author"] == joined["agent_name"]

    await customer.say("It's NW-10007, the refund never arrived")
    await agent.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "customer" and "NW-10007" in f["text"]
    )

    # The customer drops; the agent's message while they are away arrives on reconnect, once.
    await customer.close()
    await agent.say(conversation_id, "I can see the return was received 12 days ago.")
    await customer.connect()
    await customer.wait_for(lambda f: f["type"] == "message" and "12 days" in f.get("text", ""))
    agent_texts = [m["text"] for m in customer.messages("agent")]
    assert agent_texts.count("I can see the return was received 12 days ago.") == 1

    # The handoff service is killed outright and restarted: nothing acknowledged is lost.
    before = [(m["seq"], m["text"]) for m in customer.messages()]
    await asyncio.to_thread(stack.restart, "handoff")
    await customer.close()
    await agent.close()
    customer.frames.clear()
    await customer.connect()
    # A client that lost everything says it saw nothing; the whole history is replayed.
    await customer.wait_for(lambda f: f.get("seq") == before[-1][0])
    after = [(m["seq"], m["text"]) for m in customer.messages()]
    assert after == before
    agent = Agent(stack.base_url, username=agent.username, password=agent.password)
    await agent.connect()
    await agent.assigned(conversation_id)

    # Hand back: the assistant resumes, says again that it is an AI, and repeats the outcome.
    mark = customer.last_seq
    await agent.send(
        {
            "type": "handback",
            "conversation_id": conversation_id,
            "outcome": "Refund re-issued to the card",
        }
    )
    resumed = await customer.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "bot" and f["seq"] > mark,
        timeout=BOT_TIMEOUT,
    )
    bot_after = " ".join(m["text"] for m in customer.messages("bot") if m["seq"] > mark)
    assert resumed
    assert "AI" in bot_after
    assert "Refund re-issued to the card" in bot_after

    # The bot owns the conversation again: a message gets a bot answer.
    seq = await customer.say("thanks")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)

    # A second handoff, then close and satisfaction.
    seen = len(agent.frames)
    seq = await customer.say("Actually I want to talk to a human again")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    await agent.take(conversation_id, after=seen)
    await agent.send(
        {"type": "close", "conversation_id": conversation_id, "resolution": "refund_issued"}
    )
    await customer.wait_for(
        lambda f: f["type"] == "event" and f["event"] == "csat_request" and f["part"] == "person"
    )
    await customer.send({"type": "csat", "score": 5, "comment": "quick and kind"})
    await asyncio.sleep(0.5)
    errors = [f for f in customer.frames if f["type"] == "error"]
    assert errors == []
    await customer.close()
    await agent.close()
