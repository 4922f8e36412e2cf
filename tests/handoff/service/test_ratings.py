"""The customer rates the assistant's part and the person's part apart, through the real app:
each asked at its moment, taken only while asked and not yet given, stored with its part."""

from __future__ import annotations

from fakerasa import INTAKE_TOKEN, handoff_body
from wsutil import agent, customer, event, of, until

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


def asked(part: str):
    return lambda f: event("csat_request")(f) and f.get("part") == part


async def handed_off(service, **body):
    """A customer whose conversation the assistant handed to the queue."""
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    cid = welcome["conversation_id"]
    response = await service.post("/api/handoffs", json=handoff_body(cid, **body), headers=AUTH)
    assert response.status == 201
    return ws, cid


async def test_the_assistant_is_rated_when_it_hands_off_and_the_person_after_close(
    service, make_agent, hub
):
    ws_c, cid = await handed_off(service)
    request = await until(ws_c, asked("assistant"))
    assert request["text"].startswith("How helpful was the assistant?")
    await ws_c.send_json({"type": "csat", "score": 2, "part": "assistant"})
    assert (await until(ws_c, event("csat_received")))["part"] == "assistant"

    ws_a, _ = await agent(service, await make_agent("ana"))
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "close", "conversation_id": cid, "resolution": "refund_issued"})
    await until(ws_c, asked("person"))
    await ws_c.send_json({"type": "csat", "score": 5})
    await until(ws_c, lambda f: event("csat_received")(f) and f["part"] == "person")
    rows = {r["part"]: r for r in await hub.store.csat_scores(cid)}
    assert (rows["assistant"]["score"], rows["assistant"]["agent_id"]) == (2, None)
    assert (rows["person"]["score"], rows["person"]["agent_id"]) == (5, "ana")
    assert rows["person"]["resolution"] == "refund_issued"


async def test_a_part_is_rated_once_and_only_once_asked(service, hub):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "csat", "score": 4, "part": "assistant"})
    refused = await until(ws, of("error"))
    assert refused["code"] == "not_allowed" and "assistant's part" in refused["message"]
    await ws.close()

    ws, cid = await handed_off(service)
    await until(ws, asked("assistant"))
    await ws.send_json({"type": "csat", "score": 4, "part": "assistant"})
    await until(ws, event("csat_received"))
    await ws.send_json({"type": "csat", "score": 1, "part": "assistant"})
    assert (await until(ws, of("error")))["code"] == "not_allowed"
    # The person's part is not asked before an agent closes.
    await ws.send_json({"type": "csat", "score": 1})
    assert (await until(ws, of("error")))["code"] == "not_allowed"
    assert [r["score"] for r in await hub.store.csat_scores(cid)] == [4]


async def test_a_part_other_than_the_two_is_refused_as_a_bad_field(service):
    ws, _ = await customer(service)
    await ws.send_json({"type": "csat", "score": 4, "part": "robot"})
    error = await until(ws, of("error"))
    assert error["code"] == "bad_field" and "part" in error["message"]


async def test_a_goal_met_by_the_assistant_alone_asks_its_rating_once(service, hub, rasa):
    rasa.turns["NW-10007"] = rasa.turns["thanks"] = {"goal": "met", "intent": "inform"}
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "NW-10007"})
    await until(ws, asked("assistant"))
    await ws.send_json({"type": "message", "client_id": "m2", "text": "thanks"})
    await until(ws, of("message", sender="bot", text="echo: thanks"))
    await hub.relay.idle()
    history = await hub.store.history(welcome["conversation_id"])
    requests = [r for r in history if r["body"].get("event") == "csat_request"]
    assert [r["body"]["part"] for r in requests] == ["assistant"]


async def test_a_turn_still_open_asks_no_rating(service, hub, rasa):
    rasa.turns["where is it"] = {"goal": "open", "intent": "track_order"}
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is it"})
    await until(ws, of("message", sender="bot", text="echo: where is it"))
    await hub.relay.idle()
    history = await hub.store.history(welcome["conversation_id"])
    assert not [r for r in history if r["body"].get("event") == "csat_request"]


async def test_an_emergency_handoff_does_not_ask_to_rate_the_assistant(service, hub):
    ws, cid = await handed_off(service, kind="risk", tier="emergency", sentiment=0.0)
    await until(ws, event("queued"))
    await hub.relay.idle()
    history = await hub.store.history(cid)
    assert not [r for r in history if r["body"].get("event") == "csat_request"]
