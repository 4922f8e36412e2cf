"""Who reaches a person, end to end through the real assistant, action server and service.

A request for a person typed while a form waits for an answer ends the form and reaches a
live agent with the conversation; a request to be called back asks for a phone number; an
identity question mid-form is answered truthfully and the form goes on.
"""

from __future__ import annotations

from typing import Any

import pytest

from .clients import Customer, new_agent

pytestmark = pytest.mark.stack

BOT_TIMEOUT = 60.0


async def _in_order_form(customer: Customer) -> str:
    seq = await customer.say("where is my parcel")
    ask = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "order number" in ask["text"].lower()
    return str(ask["text"])


def _bot_texts_after(customer: Customer, seq: int) -> list[str]:
    return [m["text"] for m in customer.messages("bot") if m["seq"] > seq]


async def test_a_mid_form_request_for_a_person_reaches_an_agent_with_the_form_ended(
    stack: Any,
) -> None:
    agent = new_agent(stack, "Form Agent", capacity=50)
    await agent.connect()
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    question = await _in_order_form(customer)

    seq = await customer.say("no, just get me a representative")
    told = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "person" in told["text"].lower()
    assigned = await agent.wait_for(
        lambda f: f["type"] == "assigned" and f["conversation_id"] == customer.conversation_id,
        timeout=BOT_TIMEOUT,
    )
    context = assigned["context"]
    assert context["trigger"]["kind"] == "customer_request"
    said = [t["text"] for t in context["turns"] if t["sender"] == "customer"]
    assert said[-2:] == ["where is my parcel", "no, just get me a representative"]
    bot_said = [t["text"] for t in context["turns"] if t["sender"] == "bot"]
    assert question in bot_said
    # The form took nothing from the request as an order number, and asked nothing after it.
    assert not context["slots"].get("order_id")
    assert not any("order number" in t.lower() for t in _bot_texts_after(customer, seq))

    # Handed back, the assistant does not resume the abandoned form.
    mark = customer.last_seq
    await agent.send(
        {"type": "handback", "conversation_id": customer.conversation_id, "outcome": "Found it"}
    )
    await customer.wait_for(
        lambda f: f["type"] == "message" and f["sender"] == "bot" and f["seq"] > mark,
        timeout=BOT_TIMEOUT,
    )
    seq = await customer.say("thanks")
    reply = await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    assert "order number" not in reply["text"].lower()
    await customer.close()
    await agent.close()


async def test_a_request_to_be_called_back_asks_for_a_phone_number_with_callback_in_the_context(
    stack: Any,
) -> None:
    agent = new_agent(stack, "Callback Agent", capacity=50)
    await agent.connect()
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    seq = await customer.say("can someone call me back please")
    offer = await customer.wait_for(
        lambda f: f["type"] == "event" and f["event"] == "offer_contact", timeout=BOT_TIMEOUT
    )
    assert offer["callback"] is True and "phone number" in offer["text"]
    assert seq < offer["seq"]
    assigned = await agent.wait_for(
        lambda f: f["type"] == "assigned" and f["conversation_id"] == customer.conversation_id,
        timeout=BOT_TIMEOUT,
    )
    trigger = assigned["context"]["trigger"]
    assert (trigger["kind"], trigger["callback"]) == ("customer_request", True)
    await agent.send(
        {"type": "close", "conversation_id": customer.conversation_id, "resolution": "resolved"}
    )
    await customer.close()
    await agent.close()


async def test_an_identity_question_mid_form_is_answered_and_the_form_asks_again(
    stack: Any,
) -> None:
    customer = Customer(stack.base_url)
    await customer.start(BOT_TIMEOUT)
    await _in_order_form(customer)
    seq = await customer.say("Just curious, is there a person on the other end?")
    await customer.reply_after(seq, timeout=BOT_TIMEOUT)
    await customer.wait_for(
        lambda f: (
            f["type"] == "message"
            and f["sender"] == "bot"
            and f["seq"] > seq
            and "order number" in f["text"].lower()
        ),
        timeout=BOT_TIMEOUT,
    )
    answer = " ".join(_bot_texts_after(customer, seq))
    assert "AI assistant" in answer
    assert not any(f["type"] == "event" and f["event"] == "queued" for f in customer.frames)
    await customer.close()
