"""An agent's session ends with the account or the token, on sockets already open."""

import asyncio
import time

import pytest
from test_agent_ws import queued_customer
from wsutil import agent, close_code, of, until

from handoff.web import agent_ws


@pytest.fixture(autouse=True)
def quick_checks(monkeypatch):
    monkeypatch.setattr(agent_ws, "SESSION_CHECK_SECONDS", 0.05)


async def test_disabling_an_agent_closes_their_socket_at_once(service, make_agent, hub):
    ws, _ = await agent(service, await make_agent("ana"))
    await hub.store.set_agent_disabled("ana", True)
    assert await close_code(ws) == agent_ws.CLOSE_DISABLED == 4403


async def test_a_disabled_agents_conversations_return_to_the_queue(service, make_agent, hub):
    ws, _ = await agent(service, await make_agent("ana"))
    _, cid = await queued_customer(service)
    await until(ws, of("assigned", conversation_id=cid))
    await hub.store.set_agent_disabled("ana", True)
    assert await close_code(ws) == 4403
    for _ in range(40):
        if hub.desk.get(cid).owner == "queue":
            break
        await asyncio.sleep(0.05)
    assert hub.desk.get(cid).owner == "queue"


async def test_a_disabled_agent_gets_no_frame_served(service, make_agent, hub, monkeypatch):
    """Even before the periodic check runs, the next frame is refused."""
    monkeypatch.setattr(agent_ws, "SESSION_CHECK_SECONDS", 60.0)
    ws, _ = await agent(service, await make_agent("ana"))
    await hub.store.set_agent_disabled("ana", True)
    await ws.send_json({"type": "ping"})
    seen = []
    while (msg := await ws.receive(timeout=3)).type.name == "TEXT":
        seen.append(msg.json()["type"])
    assert int(msg.data) == 4403 and "pong" not in seen


async def test_an_expired_token_ends_the_open_session(service, make_agent, hub):
    ws, _ = await agent(service, await make_agent("ana"))
    hub.clock = lambda: time.time() + hub.settings.agent_token_ttl_seconds + 1
    assert await close_code(ws) == agent_ws.CLOSE_EXPIRED == 4440


async def test_after_expiry_a_claim_is_never_served(service, make_agent, hub, monkeypatch):
    monkeypatch.setattr(agent_ws, "SESSION_CHECK_SECONDS", 60.0)
    ws, _ = await agent(service, await make_agent("ana"))
    await ws.send_json({"type": "status", "available": False})  # nothing assigned by itself
    await ws.send_json({"type": "ping"})
    await until(ws, of("pong"))
    _, cid = await queued_customer(service)
    hub.clock = lambda: time.time() + hub.settings.agent_token_ttl_seconds + 1
    await ws.send_json({"type": "claim", "conversation_id": cid})
    assert await close_code(ws) == 4440
    assert hub.desk.get(cid).agent_id is None
