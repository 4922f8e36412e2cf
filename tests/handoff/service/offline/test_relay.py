"""The relay to the assistant, per conversation and in order, without any socket."""

import asyncio

import pytest
from hubutil import open_conversation

from handoff.service.relay import bot_message, neutralise


async def test_an_answer_is_stored_then_shown_between_typing_on_and_off(hub):
    customer = await open_conversation(hub, token="signed")
    hub.relay.submit("c1", "hi", kind="customer")
    await hub.relay.idle()
    [(cid, message, metadata)] = hub.rasa.calls
    assert (cid, message, metadata["customer_token"]) == ("c1", "hi", "signed")
    assert customer.types() == ["typing", "typing", "message"]
    assert [f["on"] for f in customer.sent[:2]] == [True, False]
    [stored] = await hub.store.history("c1")
    assert stored["body"]["text"] == customer.sent[2]["text"] == "Hello!"


async def test_one_conversations_input_reaches_the_assistant_in_order_one_at_a_time(hub):
    await open_conversation(hub)
    hub.rasa.gate = asyncio.Event()
    for text in ("one", "two", "three"):
        hub.relay.submit("c1", text, kind="customer")
    await asyncio.sleep(0.05)
    assert [c[1] for c in hub.rasa.calls] == ["one"]  # the others wait behind the call
    assert hub.relay.busy("c1") and hub.relay.would_wait("c1")
    hub.rasa.gate.set()
    await hub.relay.idle()
    assert [c[1] for c in hub.rasa.calls] == ["one", "two", "three"]


async def test_an_idle_bot_owned_conversation_is_forgotten_once_its_answer_is_shown(hub):
    customer = await open_conversation(hub)
    hub.live.get("c1").customer = None  # the customer left while the assistant answered
    hub.relay.submit("c1", "hi", kind="customer")
    await hub.relay.idle()
    await asyncio.sleep(0)
    assert hub.live.find("c1") is None and "c1" not in hub.desk.conversations
    assert customer.sent == []


async def test_while_the_assistant_is_down_the_customer_is_told_and_may_ask_for_a_person(hub):
    customer = await open_conversation(hub)
    hub.rasa.down = True
    hub.relay.submit("c1", "where is my parcel", kind="customer")
    await hub.relay.idle()
    assert customer.events() == ["bot_unavailable"] and hub.relay.down
    hub.relay.submit("c1", "/request_human", kind="request_human")
    await hub.relay.idle()
    assert hub.desk.get("c1").owner == "queue"
    [handoff] = [t for t in await hub.store.transitions("c1") if t["to_owner"] == "queue"]
    assert handoff["reason"] == "handoff:customer_request"


async def test_the_buttons_of_the_last_answer_are_the_ones_offered(hub):
    await open_conversation(hub)
    hub.rasa.replies = [{"text": "Pick", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]
    hub.relay.submit("c1", "hi", kind="customer")
    await hub.relay.idle()
    assert hub.live.get("c1").buttons == [{"title": "Yes", "payload": "/affirm"}]


async def test_input_whose_commit_failed_gets_no_answer_and_no_notice(hub):
    customer = await open_conversation(hub)
    commit = asyncio.get_running_loop().create_future()
    commit.set_exception(RuntimeError("disk full"))
    commit.exception()
    hub.relay.submit("c1", "hi", kind="customer", seq=1, stored=commit)
    await hub.relay.idle()
    assert await hub.store.history("c1") == []
    assert "message" not in customer.types() and customer.events() == []


@pytest.mark.parametrize(
    "text, expected",
    [("hello", "hello"), ("/restart", "restart"), ("  // /stop now", "stop now"), ("/", "")],
)
def test_customer_text_is_never_a_command(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    "reply, expected",
    [
        ({"text": "Hi"}, {"text": "Hi", "buttons": [], "custom": None}),
        ({"buttons": [{"title": "A"}]}, None),  # a button without a payload shows nothing
        (
            {"image": "https://x/y.png"},
            {"text": "", "buttons": [], "custom": {"image": "https://x/y.png"}},
        ),
        ({}, None),
    ],
)
def test_a_rasa_reply_becomes_a_bot_message_or_nothing(reply, expected):
    message = bot_message(reply)
    if expected is None:
        assert message is None
    else:
        assert {k: message[k] for k in expected} == expected
        assert message["author"] == "Northwind assistant (AI)"


async def test_an_answer_finishing_while_a_new_socket_takes_over_does_not_forget_it(hub):
    """The second window of a conversation replaces the first; the assistant's answer to the
    first lands while the first socket is being closed, when no socket is attached. The
    conversation stays on the desk for the window being welcomed."""
    from handoff.service import customers

    await open_conversation(hub)
    hub.rasa.gate = asyncio.Event()
    hub.relay.submit("c1", "hi", kind="customer")
    await asyncio.sleep(0.05)  # the call is in flight
    async with customers.opening(hub, "c1"):
        old = customers.attach(hub, "c1", None)  # the older socket, being closed
        hub.rasa.gate.set()
        await hub.relay.idle()
        await asyncio.sleep(0)
        assert "c1" in hub.desk.conversations  # the answer did not forget it
        customers.attach(hub, "c1", old)
    assert hub.desk.get("c1").owner == "bot"


async def test_a_conversation_forgotten_before_its_socket_is_welcomed_is_brought_back(hub):
    from handoff.service import customers

    await open_conversation(hub)
    hub.live.get("c1").customer = None
    hub.forget("c1")
    assert "c1" not in hub.desk.conversations
    async with customers.opening(hub, "c1"):
        assert hub.desk.get("c1").owner == "bot"
