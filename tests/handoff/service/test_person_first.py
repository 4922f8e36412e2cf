"""A request for a person never waits behind the assistant, and is understood while it is down."""

import asyncio

from wsutil import customer, event, until


async def _owner_within(hub, cid, owner, seconds):
    for _ in range(int(seconds / 0.02)):
        if hub.desk.conversations.get(cid) and hub.desk.get(cid).owner == owner:
            return True
        await asyncio.sleep(0.02)
    return False


async def _received(rasa, text, seconds=3.0):
    """Until the assistant has the message: its call is in flight."""
    for _ in range(int(seconds / 0.01)):
        if text in rasa.texts():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the assistant never got {text!r}: {rasa.texts()}")


async def test_the_person_button_is_honoured_while_the_assistant_is_slow(service, rasa, hub):
    rasa.delay = 0.45  # under the 0.5 s timeout: every call waits it out
    ws, welcome = await customer(service)
    cid = welcome["conversation_id"]
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my order"})
    await ws.send_json({"type": "request_agent"})
    assert await _owner_within(hub, cid, "queue", 0.3)


async def test_a_typed_request_for_a_person_is_queued_while_the_assistant_is_down(
    service, rasa, hub
):
    rasa.down = True
    ws, welcome = await customer(service)
    await until(ws, event("bot_unavailable"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "I want to talk to a person"})
    await until(ws, event("queued"))
    assert hub.desk.get(welcome["conversation_id"]).owner == "queue"


async def test_the_first_message_typed_to_a_failing_assistant_still_reaches_a_person(
    service, rasa, hub
):
    ws, _welcome = await customer(service)
    await hub.relay.idle()
    rasa.down = True
    await ws.send_json({"type": "message", "client_id": "m1", "text": "can I speak to a human"})
    await until(ws, event("queued"))


async def test_other_text_while_the_assistant_is_down_gets_the_notice(service, rasa, hub):
    rasa.down = True
    ws, welcome = await customer(service)
    await until(ws, event("bot_unavailable"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my parcel"})
    await until(ws, event("bot_unavailable"))
    assert hub.desk.get(welcome["conversation_id"]).owner == "bot"


async def test_a_request_behind_a_call_in_flight_goes_to_the_assistant_first(service, rasa, hub):
    """Only a call in flight ahead: the assistant gets the request (and builds the context)."""
    ws, _welcome = await customer(service)
    await hub.relay.idle()
    rasa.delay = 0.3
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my order"})
    await _received(rasa, "where is my order")
    await ws.send_json({"type": "message", "client_id": "m2", "text": "I want to talk to a human"})
    await until(ws, lambda f: f.get("type") == "ack" and f.get("client_id") == "m2")
    await hub.relay.idle()
    assert "I want to talk to a human" in rasa.texts()


async def test_a_button_press_behind_a_slow_call_still_reaches_a_person(service, rasa, hub):
    ws, welcome = await customer(service)
    cid = welcome["conversation_id"]
    await hub.relay.idle()
    rasa.delay = 0.45  # under the 0.5 s timeout, so the call hangs without failing
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my order"})
    await _received(rasa, "where is my order")
    await ws.send_json({"type": "request_agent"})
    assert await _owner_within(hub, cid, "queue", 0.45 + 0.45 + 1.5)
