"""What an agent gets with a conversation: the verified customer's earlier conversations, and
any newer context the assistant sends while the conversation waits or is being handled."""

from fakerasa import INTAKE_TOKEN, handoff_body
from wsutil import agent, cid, customer, of, until

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


async def handed_off(service, conversation_id=None, **body_fields):
    """A customer connected and handed off; returns the conversation id."""
    if conversation_id is None:
        ws, welcome = await customer(service)
        await until(ws, of("message", sender="bot"))
        conversation_id = welcome["conversation_id"]
    body = {**handoff_body(conversation_id), **body_fields}
    response = await service.post("/api/handoffs", json=body, headers=AUTH)
    assert response.status == 201
    return conversation_id


async def claim(service, make_agent, name, conversation_id):
    ws, _ = await agent(service, await make_agent(name))
    await ws.send_json({"type": "claim", "conversation_id": conversation_id})
    return await until(ws, of("assigned", conversation_id=conversation_id))


async def test_the_assigned_frame_lists_the_verified_customers_earlier_conversations(
    service, make_agent
):
    first = await handed_off(service, cid(), summary="Refund for NW-10007 not received.")
    current = await handed_off(service)
    assigned = await claim(service, make_agent, "ana", current)
    [earlier] = assigned["earlier"]
    assert earlier["conversation_id"] == first
    assert earlier["summary"] == "Refund for NW-10007 not received."
    assert earlier["topic"] == "refunds" and earlier["at"].endswith("Z")
    assert earlier["why"] == "Angry customer (sentiment −0.82)"


async def test_an_unverified_customer_id_links_no_conversations(service, make_agent):
    unverified = {"verified": False, "method": None, "customer_id": "C1003", "name": None}
    await handed_off(service, cid(), customer=unverified)
    current = await handed_off(service, customer=dict(unverified))
    assigned = await claim(service, make_agent, "ben", current)
    assert assigned["earlier"] == []


async def test_a_first_conversation_has_no_earlier_ones(service, make_agent):
    current = await handed_off(service)
    assert (await claim(service, make_agent, "cleo", current))["earlier"] == []


async def test_the_assistants_later_context_reaches_the_agent_who_has_the_conversation(
    service, make_agent
):
    """The service queued a request for a person at once; the assistant's context follows."""
    current = await handed_off(service, summary="The customer asked for a person.")
    ws, _ = await agent(service, await make_agent("dana"))
    await ws.send_json({"type": "claim", "conversation_id": current})
    await until(ws, of("assigned", conversation_id=current))
    later = {**handoff_body(current), "handoff_id": f"{current}:9", "summary": "Order NW-1."}
    assert (await service.post("/api/handoffs", json=later, headers=AUTH)).status == 201
    fresh = await until(ws, of("assigned", conversation_id=current))
    assert fresh["context"]["summary"] == "Order NW-1."


async def test_a_waiting_conversation_takes_the_class_of_its_later_context(service, hub):
    asked, angry = cid(), cid()
    calm = {"kind": "customer_request", "value": True, "threshold": True, "detail": "asked"}
    await handed_off(service, asked, trigger=calm, sentiment={"latest": 0.1})
    await handed_off(service, angry)
    assert [c.id for c in hub.desk.queue()] == [angry, asked]
    fire = {
        **handoff_body(asked),
        "handoff_id": f"{asked}:9",
        "risk": {"tier": "emergency", "reasons": ["imminent danger: smoke"]},
    }
    assert (await service.post("/api/handoffs", json=fire, headers=AUTH)).status == 201
    assert [c.id for c in hub.desk.queue()] == [asked, angry]
    row = await hub.store.get_conversation(asked)
    assert row["priority"] == 0
    [first, _] = hub.queue_items()
    assert first["why"] == "Emergency: smoke"
