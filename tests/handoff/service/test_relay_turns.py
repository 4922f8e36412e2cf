"""The assistant's facts about each turn, through the real app: taken out of its replies,
checked, and kept against the customer's message; never shown, never a message."""

from __future__ import annotations

import hashlib

from wsutil import customer, of, until

MET = {
    "intent": "inform",
    "confidence": 0.97,
    "goal": "met",
    "topic": "orders",
    "order_ref": "NW-10007",
    "email_hash": hashlib.sha256(b"ana@example.com").hexdigest(),
}


async def say(service, text: str) -> tuple[object, str, list[dict]]:
    """Open a conversation, send one message; (socket, conversation id, frames after it)."""
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": text})
    frames = [await until(ws, of("message", sender="bot"))]
    return ws, welcome["conversation_id"], frames


async def customer_seq(hub, cid: str) -> int:
    [row] = [r for r in await hub.store.history(cid) if r["sender"] == "customer"]
    return int(row["seq"])


async def test_the_turn_is_kept_against_the_customer_message_and_never_shown(service, hub, rasa):
    rasa.turns["NW-10007"] = MET
    ws, cid, [answer] = await say(service, "NW-10007")
    assert answer["text"] == "echo: NW-10007" and answer.get("custom") is None
    await hub.relay.idle()
    [turn] = await hub.store.turns(cid)
    assert turn["seq"] == await customer_seq(hub, cid)
    assert {k: turn[k] for k in MET} == MET
    bots = [r for r in await hub.store.history(cid) if r["sender"] == "bot"]
    assert all("turn" not in (r["body"].get("custom") or {}) for r in bots)
    assert [r["body"]["text"] for r in bots][-1] == "echo: NW-10007"
    await ws.close()


async def test_a_turn_with_an_unknown_goal_is_refused_and_not_stored(service, hub, rasa):
    rasa.turns["hmm"] = {**MET, "goal": "great"}
    ws, cid, [answer] = await say(service, "hmm")
    assert answer["text"] == "echo: hmm"
    await hub.relay.idle()
    assert await hub.store.turns(cid) == []
    await ws.close()


async def test_a_turn_of_the_wrong_types_is_refused_and_not_stored(service, hub, rasa):
    for text, turn in [
        ("one", {**MET, "confidence": "high"}),
        ("two", {**MET, "confidence": 1.5}),
        ("three", {**MET, "intent": 7}),
        ("four", {**MET, "email_hash": "ana@example.com"}),
        ("five", "met"),
    ]:
        rasa.turns[text] = turn
        ws, cid, _ = await say(service, text)
        await hub.relay.idle()
        assert await hub.store.turns(cid) == [], text
        await ws.close()


async def test_a_button_pressed_gets_its_turn_kept_too(service, hub, rasa):
    rasa.turns["/track_order"] = {"goal": "open", "intent": "track_order", "topic": "orders"}
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json(
        {"type": "button", "client_id": "b1", "title": "Track an order", "payload": "/track_order"}
    )
    answer = await until(ws, of("message", sender="bot"))
    assert answer["text"] == "Which order number?"
    await hub.relay.idle()
    [turn] = await hub.store.turns(welcome["conversation_id"])
    assert (turn["goal"], turn["intent"], turn["order_ref"]) == ("open", "track_order", None)
    await ws.close()
