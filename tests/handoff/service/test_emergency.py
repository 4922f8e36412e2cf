"""An emergency handoff through the real app: first in the queue, counted, and with nobody
online an urgent contact offer whose contact is kept with what the customer wrote."""

from fakerasa import INTAKE_TOKEN, SAFETY, handoff_body
from promutil import declared, sample
from wsutil import agent, cid, customer, event, of, until, upto

from handoff.core.triage import CLASSES
from handoff.service.intake import urgent_note

ANGRY = CLASSES.index("angry")

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


def emergency_body(conversation_id, text="the heater is smoking and sparking right now"):
    body = handoff_body(conversation_id, kind="risk", tier="emergency", sentiment=0.0)
    body["risk"] = {"tier": "emergency", "reasons": ["imminent danger: smoke and sparks"]}
    body["turns"][0]["text"] = text
    return body


async def test_an_emergency_is_queued_at_priority_0_ahead_of_older_handoffs(service, hub):
    older, fire = cid(), cid()
    await service.post("/api/handoffs", json=handoff_body(older, sentiment=-0.9), headers=AUTH)
    response = await service.post("/api/handoffs", json=emergency_body(fire), headers=AUTH)
    assert response.status == 201 and (await response.json())["position"] == 1
    assert [(c.id, c.priority) for c in hub.desk.queue()] == [(fire, 0), (older, ANGRY)]


async def test_emergencies_are_counted_in_the_metrics(service):
    await service.post("/api/handoffs", json=handoff_body(cid()), headers=AUTH)
    await service.post("/api/handoffs", json=emergency_body(cid()), headers=AUTH)
    text = await (await service.get("/metrics")).text()
    assert declared(text)["handoff_emergencies_total"] == "counter"
    assert sample(text, "handoff_emergencies_total") == 1
    assert sample(text, "handoff_risk_handoffs_total", risk_reason="emergency") == 1


async def test_the_queue_items_agents_receive_carry_the_emergency_tier_first(service, hub):
    await service.post("/api/handoffs", json=handoff_body(cid(), sentiment=-0.9), headers=AUTH)
    await service.post("/api/handoffs", json=emergency_body(cid()), headers=AUTH)
    first, second = hub.queue_items()
    assert (first["tier"], first["priority"], second["priority"]) == ("emergency", 0, ANGRY)


async def test_an_agent_of_another_team_is_given_the_emergency(service, hub, make_agent):
    ws, _ = await agent(service, await make_agent("ana", teams=["billing"]))
    fire = cid()
    await service.post("/api/handoffs", json=emergency_body(fire), headers=AUTH)
    assigned = await until(ws, of("assigned"))
    assert assigned["conversation_id"] == fire
    assert assigned["context"]["risk"]["tier"] == "emergency"


async def test_with_nobody_online_an_emergency_gets_an_urgent_offer_and_an_urgent_contact(
    service, hub
):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    conversation = welcome["conversation_id"]
    await service.post("/api/handoffs", json=emergency_body(conversation), headers=AUTH)
    offer = await until(ws, event("offer_contact"))
    assert offer["urgent"] is True and "local emergency number" in offer["text"]
    await ws.send_json(
        {"type": "contact", "client_id": "k1", "name": "Dana", "phone": "+44 20 7946 0103"}
    )
    await until(ws, event("contact_saved"))
    [saved] = await hub.store.list_contacts()
    assert saved["note"] == (
        'URGENT (imminent danger: smoke and sparks); the customer wrote: "the heater is '
        'smoking and sparking right now"'
    )


async def test_an_ordinary_offer_is_not_marked_urgent(service):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    offer = await until(ws, event("offer_contact"))
    assert "urgent" not in offer


def test_only_an_emergency_context_makes_a_note_urgent():
    assert urgent_note(None) is None
    assert urgent_note({"risk": {"tier": "escalation", "reasons": ["x"]}}) is None
    assert urgent_note({"risk": {"tier": "emergency"}, "turns": []}) == "URGENT (imminent danger)"


async def test_the_safety_message_is_shown_before_the_queued_notice(service, rasa):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "it is sparking"})
    frames = await upto(ws, event("queued"))
    history = [f for f in frames if f["type"] in ("message", "event")]
    said = [f.get("text") if f["type"] == "message" else f["event"] for f in history]
    assert said[-3:] == [SAFETY, "I'm bringing in a person from our team now.", "queued"]
    assert [f["seq"] for f in history] == sorted(f["seq"] for f in history)
