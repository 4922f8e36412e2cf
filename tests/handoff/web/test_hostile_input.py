"""Hostile input at the sockets and over HTTP gets a documented error or close, never a drop."""

import json

import aiohttp
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


@pytest.mark.parametrize("path", ["/ws/customer", "/ws/agent"])
async def test_a_foreign_host_with_a_matching_origin_is_refused(service, path):
    """The DNS-rebinding pattern: the attacker's name resolves to the service."""
    headers = {"Host": "evil.example:8000", "Origin": "http://evil.example:8000"}
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await service.ws_connect(path, headers=headers)
    assert refused.value.status == 403


async def test_a_configured_public_origin_is_served(settings, aiohttp_client, rasa):
    from handoff.app import create_app

    public = settings.with_changes(public_origins=("https://support.example.com",))
    client = await aiohttp_client(create_app(public))
    headers = {"Host": "support.example.com", "Origin": "https://support.example.com"}
    ws = await client.ws_connect("/ws/customer", headers=headers)
    await ws.send_json({"type": "ping"})  # not a hello: the socket was upgraded, then 4001
    assert await close_code(ws) == 4001


async def test_a_silent_agent_socket_is_closed_by_the_heartbeat(settings, aiohttp_client, rasa):
    """An agent whose network died (no FIN, no pongs) is noticed after 1.5 heartbeats."""
    import asyncio

    from handoff.app import HUB, create_app
    from handoff.service.auth import hash_password

    client = await aiohttp_client(create_app(settings.with_changes(agent_heartbeat_seconds=0.2)))
    hub = client.app[HUB]
    await hub.store.create_agent("ana", "Ana", ["*"], 2, hash_password("pw"), 0.0)
    login = await client.post("/api/agent/login", json={"username": "ana", "password": "pw"})
    ws = await client.ws_connect("/ws/agent", autoping=False)  # never answers a ping
    await ws.send_json({"type": "auth", "token": (await login.json())["token"]})
    await until(ws, of("welcome"))
    for _ in range(20):
        await asyncio.sleep(0.05)
        if "ana" not in hub.live.agents:
            break
    assert "ana" not in hub.live.agents
    assert hub.desk.agent("ana").online is False


async def test_demo_token_answers_are_not_cached(service):
    response = await service.get("/demo/customer-token", params={"customer_id": "C1001"})
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
