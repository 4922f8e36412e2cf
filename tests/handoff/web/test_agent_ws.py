"""The agent side: login, queue, claim with full context, chat, transfer, hand back, close."""

import asyncio

from fakerasa import INTAKE_TOKEN, handoff_body
from wsutil import agent, close_code, customer, event, of, until, upto

from handoff.service.auth import hash_password

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


async def queued_customer(service, **body):
    """A customer whose conversation the assistant handed off (angry → escalation)."""
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    cid = welcome["conversation_id"]
    response = await service.post("/api/handoffs", json=handoff_body(cid, **body), headers=AUTH)
    assert response.status == 201
    return ws, cid


async def test_login_with_a_wrong_password_is_refused(service, make_agent):
    await make_agent("ana")
    response = await service.post("/api/agent/login", json={"username": "ana", "password": "nope"})
    assert (response.status, await response.json()) == (401, {"error": "invalid_credentials"})


async def test_login_with_a_malformed_body_is_a_bad_request(service):
    response = await service.post("/api/agent/login", data="{")
    assert response.status == 400


async def test_a_wrong_token_is_closed_with_4401(service):
    ws = await service.ws_connect("/ws/agent")
    await ws.send_json({"type": "auth", "token": "forged"})
    assert await close_code(ws) == 4401


async def test_an_expired_token_is_closed_with_4401(service, make_agent, hub):
    token = await make_agent("ana")
    hub.clock = lambda: 10**12
    ws = await service.ws_connect("/ws/agent")
    await ws.send_json({"type": "auth", "token": token})
    assert await close_code(ws) == 4401


async def test_a_first_frame_that_is_not_auth_is_closed_with_4001(service):
    ws = await service.ws_connect("/ws/agent")
    await ws.send_json({"type": "claim", "conversation_id": "x"})
    assert await close_code(ws) == 4001


async def test_no_auth_in_time_is_closed_with_4008(service):
    ws = await service.ws_connect("/ws/agent")
    assert await close_code(ws) == 4008


async def test_an_online_agent_is_assigned_a_handoff_with_the_full_context(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    _, cid = await queued_customer(service)
    assigned = await until(ws_a, of("assigned"))
    ctx = assigned["context"]
    assert assigned["conversation_id"] == cid
    assert (ctx["trigger"]["value"], ctx["trigger"]["threshold"]) == (-0.82, -0.5)
    assert ctx["risk"]["tier"] == "escalation" and ctx["summary"] and ctx["sentiment"]["trend"]
    assert ctx["customer"]["verified"] and ctx["slots"] == {"order_id": "NW-10007"}
    assert [f["sender"] for f in assigned["transcript"] if f["type"] == "message"] == ["bot"]


async def test_the_assigned_context_never_contains_the_redacted_originals(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    await queued_customer(service)
    assigned = await until(ws_a, of("assigned"))
    assert "dana@example.com" not in str(assigned) and "redactions" not in assigned["context"]


async def test_a_reveal_returns_the_original_and_is_logged(service, make_agent, hub):
    ws_a, _ = await agent(service, await make_agent("ana"))
    _, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "reveal", "conversation_id": cid, "placeholder": "[EMAIL_1]"})
    revealed = await until(ws_a, of("revealed"))
    assert revealed["value"] == "dana@example.com"
    assert [r["agent_id"] for r in await hub.store.reveals(cid)] == ["ana"]


async def test_values_the_customer_typed_before_the_handoff_are_masked_in_the_transcript(
    service, make_agent, rasa
):
    ws_c, welcome = await customer(service)
    await until(ws_c, of("message", sender="bot"))
    await ws_c.send_json({"type": "message", "client_id": "m1", "text": "I am dana@example.com"})
    await until(ws_c, of("message", sender="bot", text="echo: I am dana@example.com"))
    cid = welcome["conversation_id"]
    await service.post("/api/handoffs", json=handoff_body(cid), headers=AUTH)
    ws_a, _ = await agent(service, await make_agent("ana"))
    assigned = await until(ws_a, of("assigned"))
    texts = [f["text"] for f in assigned["transcript"] if f["type"] == "message"]
    assert "I am [EMAIL_1]" in texts and "dana@example.com" not in str(assigned)


async def test_agent_and_customer_chat_both_ways_and_the_bot_hears_nothing(
    service, make_agent, rasa, hub
):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    joined = await until(ws_c, event("agent_joined"))
    assert joined["text"] == "Ana (a person) has joined the conversation."
    await ws_a.send_json(
        {"type": "message", "conversation_id": cid, "client_id": "a1", "text": "Hi, Ana here"}
    )
    said = await until(ws_c, of("message", sender="agent"))
    assert (said["author"], said["text"]) == ("Ana", "Hi, Ana here")
    await ws_c.send_json({"type": "message", "client_id": "c1", "text": "thanks Ana"})
    heard = await until(ws_a, of("message", sender="customer"))
    assert heard["conversation_id"] == cid and heard["text"] == "thanks Ana"
    await hub.relay.idle()
    assert "thanks Ana" not in rasa.texts()


async def test_typing_is_forwarded_both_ways(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "typing", "conversation_id": cid, "on": True})
    assert (await until(ws_c, of("typing", sender="agent")))["on"] is True
    await ws_c.send_json({"type": "typing", "on": True})
    assert (await until(ws_a, of("typing", sender="customer")))["conversation_id"] == cid


async def test_private_notes_never_reach_the_customer(service, make_agent, hub):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json(
        {"type": "note", "conversation_id": cid, "client_id": "n1", "text": "refund looks due"}
    )
    await until(ws_a, of("note"))
    await ws_a.send_json(
        {"type": "message", "conversation_id": cid, "client_id": "a1", "text": "checking"}
    )
    frames = await upto(ws_c, of("message", sender="agent"))
    assert "refund looks due" not in str(frames)
    assert [n["text"] for n in await hub.store.notes(cid)] == ["refund looks due"]


async def test_an_approved_draft_is_sent_as_the_agents_message(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "draft", "conversation_id": cid, "decision": "approve"})
    assert (await until(ws_c, of("message", sender="agent")))[
        "text"
    ] == "I have issued your refund."


async def test_an_agent_cannot_act_on_a_conversation_it_does_not_own(service, make_agent, hub):
    ws_a, _ = await agent(service, await make_agent("ana", capacity=1))
    ws_b, _ = await agent(service, await make_agent("ben", capacity=1))
    _, cid = await queued_customer(service)
    other = ws_b if hub.desk.get(cid).agent_id == "ana" else ws_a
    for frame in (
        {"type": "message", "conversation_id": cid, "client_id": "x", "text": "hi"},
        {"type": "close", "conversation_id": cid, "resolution": "resolved"},
        {"type": "claim", "conversation_id": cid},
        {"type": "reveal", "conversation_id": cid, "placeholder": "[EMAIL_1]"},
    ):
        await other.send_json(frame)
        assert (await until(other, of("error")))["code"] == "not_allowed"


async def test_a_busy_agent_claims_manually_from_the_queue(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    await ws_a.send_json({"type": "status", "available": False})
    _, cid = await queued_customer(service)
    queue = await until(ws_a, lambda f: f.get("type") == "queue" and f["items"])
    item = queue["items"][0]
    assert (item["conversation_id"], item["tier"], item["priority"]) == (cid, "escalation", 3)
    assert (item["queue_class"], item["why"]) == ("angry", "Angry customer (sentiment −0.82)")
    await ws_a.send_json({"type": "claim", "conversation_id": cid})
    assert (await until(ws_a, of("assigned")))["conversation_id"] == cid


async def test_the_customer_sees_its_position_and_an_estimate(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    await ws_a.send_json({"type": "status", "available": False})
    await until(ws_a, of("queue"))
    ws1, _ = await queued_customer(service)
    ws2, _ = await queued_customer(service, sentiment=0.1, tier="assistance")
    q1, q2 = await until(ws1, of("queue")), await until(ws2, of("queue"))
    assert (q1["position"], q2["position"]) == (1, 2)
    assert q2["estimated_wait_seconds"] > q1["estimated_wait_seconds"] > 0


async def test_hand_back_tells_the_customer_and_wakes_the_bot_with_the_outcome(
    service, make_agent, rasa
):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "handback", "conversation_id": cid, "outcome": "Refund issued"})
    assert (await until(ws_a, of("released")))["reason"] == "handed_back"
    back = await until(ws_c, event("handed_back"))
    assert "AI" in back["text"]
    reply = await until(ws_c, of("message", sender="bot"))
    assert "Refund issued" in reply["text"] and "AI" in reply["text"]
    assert rasa.texts()[-1] == '/handback{"agent_outcome": "Refund issued", "agent_name": "Ana"}'


async def test_close_asks_for_csat_and_stores_the_score_with_both_parts_apart(
    service, make_agent, hub
):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json(
        {"type": "message", "conversation_id": cid, "client_id": "a1", "text": "Done!"}
    )
    await ws_a.send_json({"type": "close", "conversation_id": cid, "resolution": "refund_issued"})
    await until(ws_c, lambda f: event("csat_request")(f) and f["part"] == "person")
    await ws_c.send_json({"type": "csat", "score": 5, "comment": "great"})
    await until(ws_c, event("csat_received"))
    [score] = await hub.store.csat_scores(cid)
    assert (score["score"], score["agent_id"], score["resolution"]) == (5, "ana", "refund_issued")
    assert (score["bot_turns"], score["agent_turns"]) == (1, 1)


async def test_transfer_to_another_agent_moves_the_conversation_with_its_context(
    service, make_agent
):
    ws_a, _ = await agent(service, await make_agent("ana", capacity=1))
    _, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    ws_b, _ = await agent(service, await make_agent("ben", capacity=1))
    await ws_a.send_json(
        {"type": "transfer", "conversation_id": cid, "to_agent": "ben", "note": "VIP"}
    )
    assert (await until(ws_a, of("released")))["reason"] == "transferred"
    moved = await until(ws_b, of("assigned"))
    assert moved["context"]["summary"] and [n["text"] for n in moved["notes"]] == ["VIP"]


async def test_transfer_to_a_team_requeues_for_that_team(service, make_agent, hub):
    ws_a, _ = await agent(service, await make_agent("ana", teams=("orders", "refunds")))
    _, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "transfer", "conversation_id": cid, "to_team": "billing"})
    await until(ws_a, of("released"))
    assert (hub.desk.get(cid).owner, hub.desk.get(cid).team) == ("queue", "billing")


async def test_an_agent_who_drops_and_returns_within_the_grace_period_keeps_the_conversation(
    service, make_agent, hub
):
    token = await make_agent("ana")
    ws_a, _ = await agent(service, token)
    _, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.close()
    again, _ = await agent(service, token)
    assigned = await until(again, of("assigned"))
    assert assigned["conversation_id"] == cid and hub.desk.get(cid).agent_id == "ana"


async def test_after_the_grace_period_the_conversation_goes_back_to_the_queue(
    service, make_agent, hub
):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.close()
    notice = await until(
        ws_c, lambda f: f.get("event") == "queued" and "front" in f["text"], timeout=4
    )
    assert notice["owner"] == "queue"
    assert hub.desk.get(cid).owner == "queue"


async def test_a_waiting_customer_gets_a_new_estimate_when_an_agent_comes_online(
    service, make_agent
):
    ws_c, _ = await queued_customer(service)
    first = await until(ws_c, of("queue"))
    assert first["estimated_wait_seconds"] is None and first["agents_online"] == 0
    await agent(service, await make_agent("ana", teams=("nobody",)))
    update = await until(ws_c, of("queue"))
    assert update["agents_online"] == 1 and update["estimated_wait_seconds"] > 0


async def test_the_wait_until_an_agent_joined_is_recorded_in_the_metrics(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    await queued_customer(service)
    await until(ws_a, of("assigned"))
    text = await (await service.get("/metrics")).text()
    assert "handoff_queue_wait_seconds_count 1" in text


async def test_two_agents_claiming_the_same_conversation_at_once_leave_exactly_one_owner(
    service, make_agent, hub
):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_b, _ = await agent(service, await make_agent("ben"))
    for ws in (ws_a, ws_b):
        await ws.send_json({"type": "status", "available": False})
    _, cid = await queued_customer(service)
    await ws_a.send_json({"type": "claim", "conversation_id": cid})
    await ws_b.send_json({"type": "claim", "conversation_id": cid})
    outcomes = [
        await until(ws, lambda f: f.get("type") in ("assigned", "error")) for ws in (ws_a, ws_b)
    ]
    assert sorted(f["type"] for f in outcomes) == ["assigned", "error"]
    audit = await hub.store.transitions(cid)
    assert [t["to_owner"] for t in audit] == ["queue", "agent"]


async def test_many_simultaneous_handoffs_are_spread_within_every_agents_capacity(
    service, make_agent, hub
):
    await agent(service, await make_agent("ana", capacity=2))
    await agent(service, await make_agent("ben", capacity=3))
    results = await asyncio.gather(
        *(
            service.post("/api/handoffs", json=handoff_body(f"conv-{i}"), headers=AUTH)
            for i in range(8)
        )
    )
    assert all(r.status == 201 for r in results)
    owners = [hub.desk.get(f"conv-{i}").agent_id for i in range(8)]
    assert (owners.count("ana"), owners.count("ben"), owners.count(None)) == (2, 3, 3)
    assert [c.id for c in hub.desk.queue()] == sorted(
        (f"conv-{i}" for i in range(8) if owners[i] is None),
        key=lambda c: hub.desk.get(c).rank,
    )


async def test_a_customer_writing_after_a_close_is_back_with_the_assistant(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "close", "conversation_id": cid, "resolution": "resolved"})
    await until(ws_c, event("csat_request"))
    await ws_c.send_json({"type": "message", "client_id": "c9", "text": "one more thing"})
    await until(ws_c, of("message", sender="bot", text="echo: one more thing"))


async def test_an_agent_socket_sending_binary_is_closed_with_1003(service, make_agent):
    ws_a, _ = await agent(service, await make_agent("ana"))
    await ws_a.send_bytes(b"\x00")
    assert await close_code(ws_a) == 1003


async def test_the_queue_frame_lists_who_is_online_and_the_languages_they_speak(service, hub):
    await hub.store.create_agent(
        "luis", "Luis", ["*"], 2, hash_password("correct horse"), 0.0, languages=["es", "en"]
    )
    response = await service.post(
        "/api/agent/login", json={"username": "luis", "password": "correct horse"}
    )
    ws, _ = await agent(service, (await response.json())["token"])
    await ws.send_json({"type": "status", "available": True})
    frame = await until(
        ws, lambda f: f.get("type") == "queue" and any(a["available"] for a in f.get("agents", []))
    )
    assert frame["agents"] == [{"name": "Luis", "languages": ["en", "es"], "available": True}]
