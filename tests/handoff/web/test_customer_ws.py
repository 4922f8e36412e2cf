"""The customer side of the gateway, through the real app factory."""

import asyncio
import json

from fakerasa import GREETING
from wsutil import agent, close_code, customer, event, first, of, until, upto


async def test_a_new_conversation_starts_with_the_assistant_greeting(service, rasa):
    ws, welcome = await customer(service)
    assert welcome["owner"] == "bot" and welcome["last_seq"] == 0
    greeting = await until(ws, of("message", sender="bot"))
    assert greeting["text"] == GREETING and greeting["seq"] == 1
    assert rasa.received[0]["message"] == "/session_start"
    assert rasa.received[0]["sender"] == welcome["conversation_id"]


async def test_a_customer_message_is_acked_echoed_relayed_and_answered(service, rasa):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my parcel"})
    frames = await upto(ws, of("message", sender="bot"))
    ack, echo, reply = (
        first(frames, of("ack")),
        first(frames, of("message", sender="customer")),
        frames[-1],
    )
    assert (ack["seq"], echo["seq"], echo["client_id"], reply["seq"]) == (2, 2, "m1", 3)
    assert reply["text"] == "echo: where is my parcel"
    sent = rasa.received[-1]
    assert sent["metadata"] == {
        "conversation_id": welcome["conversation_id"],
        "customer_token": None,
        "seq": 2,
    }


async def test_the_same_client_id_twice_is_stored_and_relayed_once(service, rasa, hub):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    for _ in range(2):
        await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    first, second = await until(ws, of("ack")), await until(ws, of("ack"))
    await hub.relay.idle()
    assert first["seq"] == second["seq"] == 2
    assert rasa.texts().count("hello") == 1


async def test_customer_text_starting_with_a_slash_never_reaches_rasa_as_a_command(
    service, rasa, hub
):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": " / /restart"})
    await until(ws, of("message", sender="bot", text="echo: restart"))
    assert not any(t.lstrip().startswith("/") for t in rasa.texts()[1:])


async def test_a_button_the_bot_offered_is_sent_as_its_payload(service, rasa):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json(
        {"type": "button", "client_id": "b1", "title": "Track an order", "payload": "/track_order"}
    )
    await until(ws, of("message", sender="bot", text="Which order number?"))
    assert rasa.texts()[-1] == "/track_order"


async def test_a_button_payload_the_bot_did_not_offer_is_refused(service, rasa, hub):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "button", "client_id": "b1", "title": "x", "payload": "/restart"})
    error = await until(ws, of("error"))
    assert (error["code"], error["ref"]) == ("not_allowed", "b1")
    await hub.relay.idle()
    assert "/restart" not in rasa.texts()


async def test_custom_payloads_from_the_bot_reach_the_customer(service):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "show the card"})
    card = await until(ws, lambda f: f.get("type") == "message" and f.get("custom"))
    assert card["custom"] == {"kind": "order_card", "order_id": "NW-10007"}


async def test_a_reconnecting_customer_gets_what_it_missed_in_order_without_duplicates(service):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "one"})
    await until(ws, of("message", sender="bot", text="echo: one"))
    await ws.close()
    again = await service.ws_connect("/ws/customer")
    await again.send_json(
        {
            "type": "hello",
            "conversation_id": welcome["conversation_id"],
            "resume_token": welcome["resume_token"],
            "last_seq": 1,
        }
    )
    resumed = await until(again, of("welcome"))
    replay = [await again.receive_json() for _ in range(2)]
    assert resumed["last_seq"] == 3
    assert [(f["seq"], f["text"]) for f in replay] == [(2, "one"), (3, "echo: one")]


async def test_a_resume_with_a_wrong_token_is_closed_with_4003(service):
    _, welcome = await customer(service)
    other = await service.ws_connect("/ws/customer")
    await other.send_json(
        {
            "type": "hello",
            "conversation_id": welcome["conversation_id"],
            "resume_token": "guess",
            "last_seq": 0,
        }
    )
    assert await close_code(other) == 4003


async def test_another_customers_conversation_id_without_its_token_is_closed_with_4003(service):
    _, welcome = await customer(service)
    other = await service.ws_connect("/ws/customer")
    await other.send_json(
        {"type": "hello", "conversation_id": welcome["conversation_id"], "resume_token": None}
    )
    assert await close_code(other) == 4003


async def test_a_second_connection_to_the_same_conversation_replaces_the_first_with_4409(service):
    first, welcome = await customer(service)
    second = await service.ws_connect("/ws/customer")
    await second.send_json(
        {
            "type": "hello",
            "conversation_id": welcome["conversation_id"],
            "resume_token": welcome["resume_token"],
            "last_seq": 0,
        }
    )
    await until(second, of("welcome"))
    assert await close_code(first) == 4409


async def test_when_rasa_is_down_the_customer_is_told_and_the_message_is_kept(service, rasa, hub):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    rasa.down = True
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello?"})
    notice = await until(ws, event("bot_unavailable"))
    assert "person" in notice["text"]
    history = await hub.store.history(welcome["conversation_id"])
    assert any(r["body"].get("text") == "hello?" for r in history)


async def test_when_rasa_is_slower_than_the_timeout_the_customer_is_told(service, rasa):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    rasa.delay = 0.8
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello?"})
    await until(ws, event("bot_unavailable"), timeout=4)


async def test_asking_for_a_person_while_rasa_is_down_still_queues_the_conversation(
    service, rasa, hub
):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    rasa.down = True
    await ws.send_json({"type": "request_agent"})
    await until(ws, event("queued"))
    queue = await until(ws, of("queue"))
    assert queue["position"] == 1
    context = hub.live.get(welcome["conversation_id"]).context
    assert context["trigger"]["kind"] == "customer_request" and context["risk"]["reasons"] == [
        "bot_unavailable"
    ]


async def test_asking_for_a_person_goes_to_rasa_as_request_human_and_the_intake_queues_it(
    service, rasa
):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    await until(ws, event("queued"))
    connecting = await until(ws, of("message", sender="bot"))
    assert connecting["text"] == "I am connecting you with a person."
    assert rasa.texts()[-1] == "/request_human"


async def test_with_nobody_online_the_customer_is_offered_to_leave_a_contact(service, hub):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    offer = await until(ws, event("offer_contact"))
    assert "no one is online" in offer["text"]
    await ws.send_json(
        {"type": "contact", "client_id": "k1", "name": "Dana", "email": "dana@example.com"}
    )
    await until(ws, event("contact_saved"))
    assert [c["email"] for c in await hub.store.list_contacts()] == ["dana@example.com"]


async def test_a_waiting_customer_can_go_back_to_the_assistant(service, rasa, hub):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    await until(ws, event("queued"))
    await ws.send_json({"type": "continue_with_bot"})
    await until(ws, event("owner_changed"))
    await ws.send_json({"type": "message", "client_id": "m9", "text": "still there?"})
    await until(ws, of("message", sender="bot", text="echo: still there?"))


async def test_while_queued_nothing_the_customer_writes_reaches_the_bot(service, rasa, hub):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    await until(ws, event("queued"))
    await ws.send_json({"type": "message", "client_id": "m2", "text": "secret for the human"})
    await until(ws, of("ack", client_id="m2"))
    await hub.relay.idle()
    assert "secret for the human" not in rasa.texts()


async def test_a_csat_before_any_agent_closed_is_refused(service):
    ws, _ = await customer(service)
    await ws.send_json({"type": "csat", "score": 5})
    assert (await until(ws, of("error")))["code"] == "not_allowed"


async def test_the_customer_token_is_forwarded_to_rasa_in_the_metadata(service, rasa, hub):
    ws, _ = await customer(service, customer_token="abc.def")
    await until(ws, of("message", sender="bot"))
    assert rasa.received[0]["metadata"]["customer_token"] == "abc.def"
    assert json.dumps(rasa.received[0]["metadata"])


async def test_the_bot_reply_to_the_message_that_triggered_the_handoff_is_still_delivered(
    service, hub
):
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "I am angry"})
    frames = await upto(ws, of("message", sender="bot", text="I am sorry. A person will help you."))
    assert any(f.get("event") == "queued" for f in frames)


async def test_outside_business_hours_the_customer_is_told_and_offered_a_follow_up(
    aiohttp_client, settings, rasa
):
    from handoff.app import create_app
    from handoff.core.policy import BusinessHours

    closed = settings.with_changes(business_hours=BusinessHours.parse("mon 00:00-00:00"))
    client = await aiohttp_client(create_app(closed))
    rasa.handoff_url, rasa.intake_token = str(client.make_url("/api/handoffs")), closed.intake_token
    ws, _ = await customer(client)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    offer = await until(ws, event("offer_contact"))
    assert "outside business hours" in offer["text"]
    assert (await until(ws, of("queue")))["business_hours"] is False


async def test_a_message_stored_but_never_relayed_before_a_crash_reaches_the_bot_on_resume(
    service, hub, rasa
):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.close()
    cid = welcome["conversation_id"]
    # What a crash between storing and relaying leaves behind:
    await hub.store.append(
        cid, "message", "customer", {"author": "You", "text": "lost?"}, "m1", 1.0
    )
    again = await service.ws_connect("/ws/customer")
    await again.send_json(
        {"type": "hello", "conversation_id": cid, "resume_token": welcome["resume_token"]}
    )
    await until(again, of("message", sender="bot", text="echo: lost?"))
    await hub.relay.idle()
    assert await hub.store.unrelayed(cid) == []


async def test_messages_written_while_a_person_owned_the_conversation_are_never_replayed_to_the_bot(
    service, hub, rasa
):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "request_agent"})
    await until(ws, event("queued"))
    await ws.send_json({"type": "message", "client_id": "m2", "text": "for the human"})
    await until(ws, of("ack", client_id="m2"))
    assert await hub.store.unrelayed(welcome["conversation_id"]) == []


async def test_an_idle_bot_conversation_is_dropped_from_memory_and_comes_back_on_resume(
    service, hub
):
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    cid = welcome["conversation_id"]
    await hub.relay.idle()
    await ws.close()
    await asyncio.sleep(0.05)
    assert cid not in hub.desk.conversations
    again = await service.ws_connect("/ws/customer")
    await again.send_json(
        {"type": "hello", "conversation_id": cid, "resume_token": welcome["resume_token"]}
    )
    assert (await until(again, of("welcome")))["owner"] == "bot"


async def test_a_conversation_id_that_does_not_exist_is_closed_with_4003(service):
    ws = await service.ws_connect("/ws/customer")
    await ws.send_json({"type": "hello", "conversation_id": "nope", "resume_token": "x"})
    assert await close_code(ws) == 4003


async def test_an_agent_joins_only_after_the_assistant_has_announced_the_handoff(
    service, hub, make_agent
):
    token = await make_agent("ana")
    agent_ws, _ = await agent(service, token)
    await agent_ws.send_json({"type": "status", "available": True})
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "I am angry"})
    frames = await upto(ws, event("agent_joined"))
    announced = first(
        frames, of("message", sender="bot", text="I am sorry. A person will help you.")
    )
    assert announced["seq"] < frames[-1]["seq"]
    assigned = await until(agent_ws, of("assigned"))
    assert assigned["conversation_id"] == welcome["conversation_id"]


def _slow_commit(hub, rasa, monkeypatch, *, fail: bool = False):
    """The customer's message takes 0.3 s to commit (or then fails); records whether Rasa
    already had it when the commit finished."""
    from handoff.store import StoreError

    original = hub.store.append
    seen_by_rasa_before_commit: list[bool] = []

    async def append(conversation_id, kind, sender, body, client_id, ts, staged=None):
        result = await original(conversation_id, kind, sender, body, client_id, ts, staged)
        if sender == "customer":
            await asyncio.sleep(0.3)
            seen_by_rasa_before_commit.append(body["text"] in rasa.texts())
            if fail:
                raise StoreError("sqlite: disk I/O error")
        return result

    monkeypatch.setattr(hub.store, "append", append)
    return seen_by_rasa_before_commit


async def test_rasa_gets_the_message_while_it_commits_and_the_answer_comes_after_the_ack(
    service, rasa, hub, monkeypatch
):
    """The fsync is no longer in front of the assistant: Rasa already has the message when
    its commit ends, and the customer still sees the ack before the answer."""
    ws, _ = await customer(service)
    await until(ws, of("message", sender="bot"))
    seen = _slow_commit(hub, rasa, monkeypatch)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my parcel"})
    frames = await upto(ws, of("message", sender="bot"))
    assert seen == [True]
    kinds = [f["type"] for f in frames]
    assert kinds.index("ack") < len(kinds) - 1
    assert frames[-1]["text"] == "echo: where is my parcel"


async def test_when_the_message_fails_to_commit_no_answer_to_it_is_stored_or_shown(
    service, rasa, hub, monkeypatch
):
    """The customer is asked to send it again; the assistant's answer is dropped, not shown."""
    ws, welcome = await customer(service)
    await until(ws, of("message", sender="bot"))
    seen = _slow_commit(hub, rasa, monkeypatch, fail=True)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "where is my parcel"})
    error = await until(ws, of("error"))
    assert error["code"] == "unavailable" and seen == [True]
    await hub.relay.idle()
    history = await hub.store.history(welcome["conversation_id"])
    assert not any("echo:" in row["body"].get("text", "") for row in history)
    await ws.send_json({"type": "typing", "on": True})  # the connection goes on
    await asyncio.sleep(0.2)
    assert not ws.closed
