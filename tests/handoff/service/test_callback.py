"""A request to be called back, through the real app: the customer is asked for a phone number
whoever is online, and the contact left is noted as a call back."""

from fakerasa import INTAKE_TOKEN, handoff_body
from wsutil import agent, customer, event, of, until

from handoff.core.policy import wants_callback

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


def callback_body(conversation_id):
    body = handoff_body(conversation_id, kind="customer_request", sentiment=0.0)
    body["trigger"] = {
        "kind": "customer_request",
        "value": True,
        "threshold": True,
        "detail": "the customer asked to be called back",
        "callback": True,
    }
    return body


async def test_a_call_back_request_is_offered_a_phone_contact_even_with_agents_online(
    service, make_agent
):
    ws_agent, _ = await agent(service, await make_agent("ana"))
    await ws_agent.send_json({"type": "status", "available": False})
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await service.post(
        "/api/handoffs", json=callback_body(welcome["conversation_id"]), headers=AUTH
    )
    offer = await until(ws, event("offer_contact"))
    assert offer["callback"] is True and "phone number" in offer["text"]
    assert "urgent" not in offer


async def test_the_phone_left_for_a_call_back_is_noted_as_one(service, hub):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await service.post(
        "/api/handoffs", json=callback_body(welcome["conversation_id"]), headers=AUTH
    )
    await until(ws, event("offer_contact"))
    await ws.send_json({"type": "contact", "client_id": "k1", "phone": "+44 20 7946 0103"})
    await until(ws, event("contact_saved"))
    [saved] = await hub.store.list_contacts()
    assert saved["phone"] == "+44 20 7946 0103" and saved["note"] == "call back requested"


async def test_an_ordinary_handoff_is_not_offered_a_call_back(service):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await service.post("/api/handoffs", json=handoff_body(welcome["conversation_id"]), headers=AUTH)
    offer = await until(ws, event("offer_contact"))
    assert "callback" not in offer


def test_only_a_trigger_that_says_callback_wants_a_call_back():
    assert not wants_callback(None)
    assert not wants_callback({"trigger": {"kind": "customer_request"}})
    assert not wants_callback({"trigger": "callback"})
    assert wants_callback({"trigger": {"kind": "customer_request", "callback": True}})


async def test_a_call_back_request_the_service_queues_itself_still_asks_for_a_phone(
    service, rasa, hub
):
    rasa.down = True
    ws, welcome = await customer(service)
    await until(ws, event("bot_unavailable"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "can someone call me back"})
    offer = await until(ws, event("offer_contact"))
    assert offer["callback"] is True
    assert hub.live.get(welcome["conversation_id"]).context["trigger"]["callback"] is True
