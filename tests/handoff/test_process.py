"""The service as a real process: the whole journey, and SIGKILL while everyone is sending."""

import asyncio
import uuid

import pytest
from fakerasa import INTAKE_TOKEN
from procutil import Client, ServiceProcess, create_agent, login

PASSWORD = "correct horse"


def of(kind, **fields):
    return lambda f: f.get("type") == kind and all(f.get(k) == v for k, v in fields.items())


def event(name):
    return lambda f: f.get("type") == "event" and f.get("event") == name


@pytest.fixture
async def proc(tmp_path, rasa, rasa_server):
    service = ServiceProcess(
        tmp_path,
        str(rasa_server.make_url("")).rstrip("/"),
        INTAKE_TOKEN,
        HANDOFF_AGENT_GRACE_SECONDS="30",
    )
    rasa.handoff_url = service.url + "/api/handoffs"
    rasa.intake_token = INTAKE_TOKEN
    await create_agent(service.env["HANDOFF_DATABASE_URL"], "ana", ["*"], 2, PASSWORD)
    await service.start()
    yield service
    service.stop()


async def new_customer(proc):
    client = await Client.open(proc.ws_url + "/ws/customer", {"type": "hello"})
    welcome = await client.until(of("welcome"))
    await client.until(of("message", sender="bot"))
    return client, welcome


async def resume(proc, welcome, last_seq=0):
    client = await Client.open(
        proc.ws_url + "/ws/customer",
        {
            "type": "hello",
            "conversation_id": welcome["conversation_id"],
            "resume_token": welcome["resume_token"],
            "last_seq": last_seq,
        },
    )
    return client, await client.until(of("welcome"))


async def new_agent(proc):
    client = await Client.open(
        proc.ws_url + "/ws/agent", {"type": "auth", "token": await login(proc.url, "ana", PASSWORD)}
    )
    await client.until(of("welcome"))
    return client


async def test_the_whole_journey_survives_reconnects_and_a_restart(proc, rasa):
    """Bot chat, handoff with context, agent chat, reconnects, restart, hand back, close, CSAT."""
    cust, welcome = await new_customer(proc)
    cid = welcome["conversation_id"]
    await cust.send({"type": "message", "client_id": "c1", "text": "where is my order"})
    await cust.until(of("message", sender="bot", text="echo: where is my order"))
    await cust.send({"type": "message", "client_id": "c2", "text": "I am angry, it is late"})
    await cust.until(event("queued"))

    agent = await new_agent(proc)
    assigned = await agent.until(of("assigned", conversation_id=cid))
    assert assigned["context"]["trigger"]["kind"] == "sentiment"
    assert "where is my order" in [
        f["text"] for f in assigned["transcript"] if f["type"] == "message"
    ]
    await cust.until(event("agent_joined"))

    await agent.send(
        {"type": "message", "conversation_id": cid, "client_id": "a1", "text": "Hi, this is Ana"}
    )
    seen = (await cust.until(of("message", sender="agent")))["seq"]

    # The customer reloads the page; the agent's network drops.
    await cust.close()
    await agent.close()
    agent = await new_agent(proc)
    await agent.until(of("assigned", conversation_id=cid))
    await agent.send(
        {"type": "message", "conversation_id": cid, "client_id": "a2", "text": "Still here"}
    )
    await agent.until(of("ack", client_id="a2"))
    cust, again = await resume(proc, welcome, last_seq=seen)
    assert (again["owner"], again["agent_name"]) == ("agent", "Ana")
    assert (await cust.until(of("message", sender="agent")))["text"] == "Still here"

    # The service restarts; both sides come back and carry on.
    proc.stop()
    await proc.start()
    agent = await new_agent(proc)
    await agent.until(of("assigned", conversation_id=cid))
    cust, again = await resume(proc, welcome, last_seq=0)
    replay = [await cust.until(lambda f: "seq" in f) for _ in range(again["last_seq"])]
    assert [f["seq"] for f in replay] == list(range(1, again["last_seq"] + 1))

    await agent.send({"type": "handback", "conversation_id": cid, "outcome": "Parcel rerouted"})
    back = await cust.until(of("message", sender="bot"))
    assert "Parcel rerouted" in back["text"] and "AI" in back["text"]

    await cust.send({"type": "request_agent"})
    await agent.until(of("assigned", conversation_id=cid))
    await agent.send({"type": "close", "conversation_id": cid, "resolution": "resolved"})
    await cust.until(event("csat_request"))
    await cust.send({"type": "csat", "score": 4})
    await cust.until(event("csat_received"))
    await cust.close()
    await agent.close()


async def test_sigkill_while_everyone_sends_loses_no_acknowledged_message_or_queued_conversation(
    proc, rasa
):
    agent = await new_agent(proc)
    await agent.send({"type": "status", "available": False})
    customers = [await new_customer(proc) for _ in range(4)]
    # Two customers get handed off and wait in the queue; the agent claims the first.
    for client, _ in customers[:2]:
        await client.send({"type": "message", "client_id": uuid.uuid4().hex, "text": "angry now"})
        await client.until(event("queued"))
    claimed = customers[0][1]["conversation_id"]
    waiting = customers[1][1]["conversation_id"]
    await agent.send({"type": "claim", "conversation_id": claimed})
    await agent.until(of("assigned", conversation_id=claimed))

    acked: dict[str, dict[str, int]] = {w["conversation_id"]: {} for _, w in customers}

    async def chatter(client, conversation_id, sender_is_agent=False):
        for i in range(1000):
            client_id = uuid.uuid4().hex
            frame = {"type": "message", "client_id": client_id, "text": f"msg {i}"}
            if sender_is_agent:
                frame["conversation_id"] = conversation_id
            try:
                await client.send(frame)
                ack = await client.until(of("ack", client_id=client_id), timeout=5)
            except Exception:
                return
            acked[conversation_id][client_id] = ack["seq"]

    tasks = [asyncio.create_task(chatter(c, w["conversation_id"])) for c, w in customers]
    tasks.append(asyncio.create_task(chatter(agent, claimed, sender_is_agent=True)))
    await asyncio.sleep(1.0)
    proc.kill()
    await asyncio.gather(*tasks)
    assert sum(len(v) for v in acked.values()) > 20, (
        "too few messages were acknowledged to mean anything"
    )

    await proc.start()
    for _client, welcome in customers:
        cid = welcome["conversation_id"]
        again, hello = await resume(proc, welcome)
        history = [await again.until(lambda f: "seq" in f) for _ in range(hello["last_seq"])]
        seqs = [f["seq"] for f in history]
        assert seqs == list(range(1, len(seqs) + 1)), (
            "replay is in order with no gaps or duplicates"
        )
        stored = {f["client_id"]: f["seq"] for f in history if f.get("client_id")}
        missing = {k: v for k, v in acked[cid].items() if stored.get(k) != v}
        assert not missing, f"acknowledged messages lost in {cid}: {missing}"
        await again.close()
    # The claimed conversation comes back to its agent; the waiting one is still owed a person
    # (the returning agent has room for it, so it is assigned straight away).
    agent = await new_agent(proc)
    got = {(await agent.until(of("assigned")))["conversation_id"] for _ in range(2)}
    assert got == {claimed, waiting}


async def test_a_second_instance_on_the_same_database_waits_and_takes_over_after_a_crash(
    proc, tmp_path, rasa
):
    standby = ServiceProcess(tmp_path, proc.env["HANDOFF_RASA_URL"], INTAKE_TOKEN)
    standby.env["HANDOFF_DATABASE_URL"] = proc.env["HANDOFF_DATABASE_URL"]
    _cust, welcome = await new_customer(proc)
    starting = asyncio.create_task(standby.start())
    try:
        await asyncio.sleep(1.5)
        assert not starting.done(), "the standby must not serve while the first instance is active"
        proc.kill()
        await asyncio.wait_for(starting, 10)
        again = await Client.open(
            standby.ws_url + "/ws/customer",
            {
                "type": "hello",
                "conversation_id": welcome["conversation_id"],
                "resume_token": welcome["resume_token"],
                "last_seq": 0,
            },
        )
        assert (await again.until(of("welcome")))["last_seq"] >= 1
        await again.close()
    finally:
        starting.cancel()
        standby.stop()
