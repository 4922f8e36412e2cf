"""Hostile input at the sockets and over HTTP gets a documented error or close, never a drop."""

import json

import pytest
from wsutil import agent, close_code, customer, event, of, until

DEEP = "[" * 3000 + "]" * 3000
LONE = '"\\ud800"'  # an escaped lone surrogate, as a JSON string literal


async def test_deeply_nested_json_on_the_customer_socket_is_bad_json(service):
    ws, _ = await customer(service)
    await ws.send_str('{"type": "ping", "x": ' + DEEP + "}")
    assert (await until(ws, of("error")))["code"] == "bad_json"
    await ws.send_json({"type": "ping"})
    await until(ws, of("pong"))


async def test_deeply_nested_json_as_the_hello_is_closed_with_4001(service):
    ws = await service.ws_connect("/ws/customer")
    await ws.send_str(DEEP)
    assert await close_code(ws) == 4001


async def test_deeply_nested_json_as_the_agent_auth_is_closed_with_4001(service):
    ws = await service.ws_connect("/ws/agent")
    await ws.send_str(DEEP)
    assert await close_code(ws) == 4001


async def test_deeply_nested_json_on_the_agent_socket_is_bad_json(service, make_agent):
    ws, _ = await agent(service, await make_agent())
    await ws.send_str(DEEP)
    assert (await until(ws, of("error")))["code"] == "bad_json"


@pytest.mark.parametrize("field", ["conversation_id", "customer_token"])
async def test_a_lone_surrogate_in_the_hello_is_closed_with_4001(service, field):
    ws = await service.ws_connect("/ws/customer")
    await ws.send_str(f'{{"type": "hello", "resume_token": "r", "{field}": {LONE}}}')
    assert await close_code(ws) == 4001


async def test_a_lone_surrogate_client_id_is_bad_json_and_the_socket_stays(service):
    ws, _ = await customer(service)
    await ws.send_str(f'{{"type": "message", "text": "hi", "client_id": {LONE}}}')
    assert (await until(ws, of("error")))["code"] == "bad_json"
    await ws.send_json({"type": "ping"})
    await until(ws, of("pong"))


async def test_a_lone_surrogate_in_a_message_is_refused_not_swallowed(service):
    ws, _ = await customer(service)
    await ws.send_str('{"type": "message", "client_id": "m1", "text": "hi \\udfff"}')
    assert (await until(ws, of("error")))["code"] == "bad_json"


async def test_a_lone_surrogate_agent_token_is_closed_with_4001(service):
    ws = await service.ws_connect("/ws/agent")
    await ws.send_str(f'{{"type": "auth", "token": {LONE}}}')
    assert await close_code(ws) == 4001


async def test_a_lone_surrogate_in_a_claim_is_bad_json(service, make_agent):
    ws, _ = await agent(service, await make_agent())
    await ws.send_str(f'{{"type": "claim", "conversation_id": {LONE}}}')
    assert (await until(ws, of("error")))["code"] == "bad_json"


async def test_a_huge_last_seq_is_closed_with_4001(service):
    ws = await service.ws_connect("/ws/customer")
    await ws.send_str(json.dumps({"type": "hello", "last_seq": 10**30}))
    assert await close_code(ws) == 4001


async def test_a_frame_of_exactly_the_size_limit_is_accepted(service, settings):
    ws, _ = await customer(service)
    frame = {"type": "ping", "pad": ""}
    frame["pad"] = "x" * (settings.max_frame_bytes - len(json.dumps(frame)))
    assert len(json.dumps(frame)) == settings.max_frame_bytes
    await ws.send_str(json.dumps(frame))
    await until(ws, of("pong"))


async def test_login_with_deeply_nested_json_is_400(service):
    response = await service.post("/api/agent/login", data=DEEP)
    assert response.status == 400


async def test_login_with_a_lone_surrogate_username_is_400(service):
    body = f'{{"username": {LONE}, "password": "x"}}'
    response = await service.post("/api/agent/login", data=body)
    assert response.status == 400


async def test_intake_with_deeply_nested_json_is_400(service, settings):
    headers = {"Authorization": f"Bearer {settings.intake_token}"}
    response = await service.post("/api/handoffs", data=DEEP, headers=headers)
    assert response.status == 400


async def test_a_404_carries_the_security_headers(service):
    response = await service.get("/no/such/page")
    assert response.status == 404
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


async def test_a_500_carries_the_security_headers(service, hub, monkeypatch):
    async def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(hub.store, "ping", broken, raising=False)
    monkeypatch.setattr(hub, "update_gauges", lambda: 1 / 0)
    response = await service.get("/metrics")
    assert response.status == 500
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


async def test_login_answers_are_not_cached(service, make_agent):
    await make_agent()
    response = await service.post(
        "/api/agent/login", json={"username": "ana", "password": "correct horse"}
    )
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_message_the_relay_cannot_process_gets_the_not_answering_notice(
    service, hub, monkeypatch
):
    ws, _welcome = await customer(service)
    await hub.relay.idle()

    async def broken(*_args, **_kwargs):
        raise RuntimeError("the assistant choked on it")

    monkeypatch.setattr(hub.rasa, "send", broken)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    await until(ws, event("bot_unavailable"))
