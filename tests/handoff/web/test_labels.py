"""At close the agent says what the customer wanted and marks what the assistant misunderstood."""

from test_agent_ws import queued_customer
from wsutil import agent, of, until


async def said(ws_c, client_id, text):
    """The customer's message, and its number in the conversation."""
    await ws_c.send_json({"type": "message", "client_id": client_id, "text": text})
    return (await until(ws_c, of("ack", client_id=client_id)))["seq"]


async def closed_by_ana(service, make_agent, **label):
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    seq = await said(ws_c, "c1", "the box came crushed, I want my money back")
    frame = {"type": "close", "conversation_id": cid, "resolution": "refund_issued"}
    await ws_a.send_json({**frame, **{k: ([seq] if v == "SEQ" else v) for k, v in label.items()}})
    return ws_a, cid, seq


async def test_a_close_with_a_label_keeps_the_intent_and_the_marked_messages(
    service, make_agent, hub
):
    ws_a, cid, seq = await closed_by_ana(
        service, make_agent, intent="start_return", misunderstood="SEQ"
    )
    await until(ws_a, of("released", reason="closed"))
    [label] = await hub.store.labels(cid)
    assert (label["intent"], label["misunderstood"], label["agent_id"]) == (
        "start_return",
        [seq],
        "ana",
    )


async def test_only_this_conversations_customer_messages_can_be_marked(service, make_agent, hub):
    """The assistant's greeting (seq 1) and a number past the end are not kept."""
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, cid = await queued_customer(service)
    await until(ws_a, of("assigned"))
    seq = await said(ws_c, "c1", "crushed box")
    await ws_a.send_json(
        {
            "type": "close",
            "conversation_id": cid,
            "resolution": "resolved",
            "intent": "a_new_intent",
            "misunderstood": [1, seq, 999],
        }
    )
    await until(ws_a, of("released", reason="closed"))
    [label] = await hub.store.labels(cid)
    assert (label["intent"], label["misunderstood"]) == ("a_new_intent", [seq])


async def test_a_close_without_a_label_stores_none(service, make_agent, hub):
    ws_a, cid, _ = await closed_by_ana(service, make_agent)
    await until(ws_a, of("released", reason="closed"))
    assert await hub.store.labels(cid) == []


async def test_marked_messages_without_an_intent_are_refused_and_nothing_closes(
    service, make_agent, hub
):
    ws_a, cid, _ = await closed_by_ana(service, make_agent, misunderstood="SEQ")
    error = await until(ws_a, of("error"))
    assert error["code"] == "bad_field" and "intent" in error["message"]
    assert hub.desk.get(cid).owner == "agent"


async def test_an_intent_that_is_not_an_intent_name_is_refused(service, make_agent, hub):
    ws_a, cid, _ = await closed_by_ana(service, make_agent, intent="Refund please!")
    error = await until(ws_a, of("error"))
    assert error["code"] == "bad_field" and "'intent'" in error["message"]
    assert await hub.store.labels(cid) == []
