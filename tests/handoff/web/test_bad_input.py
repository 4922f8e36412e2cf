"""Bad input gets a clear error or close code, and the service keeps serving everyone else."""

from wsutil import close_code, customer, of, until


async def test_malformed_json_is_answered_with_bad_json(service):
    ws, _ = await customer(service)
    await ws.send_str("{nope")
    assert (await until(ws, of("error")))["code"] == "bad_json"


async def test_a_json_value_that_is_not_an_object_is_answered_with_bad_json(service):
    ws, _ = await customer(service)
    await ws.send_str("[1, 2]")
    assert (await until(ws, of("error")))["code"] == "bad_json"


async def test_an_unknown_type_is_answered_with_unknown_type(service):
    ws, _ = await customer(service)
    await ws.send_json({"type": "teleport"})
    assert (await until(ws, of("error")))["code"] == "unknown_type"


async def test_a_frame_without_type_is_answered_with_unknown_type(service):
    ws, _ = await customer(service)
    await ws.send_json({"text": "hi"})
    assert (await until(ws, of("error")))["code"] == "unknown_type"


async def test_a_missing_field_is_named_in_the_error(service):
    ws, _ = await customer(service)
    await ws.send_json({"type": "message", "client_id": "m1"})
    error = await until(ws, of("error"))
    assert (error["code"], error["ref"]) == ("bad_field", "m1") and "'text'" in error["message"]


async def test_a_message_over_2000_characters_is_refused(service):
    ws, _ = await customer(service)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "x" * 2001})
    assert (await until(ws, of("error")))["code"] == "bad_field"


async def test_a_csat_score_outside_one_to_five_is_refused(service):
    ws, _ = await customer(service)
    await ws.send_json({"type": "csat", "score": 9})
    assert (await until(ws, of("error")))["code"] == "bad_field"


async def test_the_connection_stays_open_after_an_error(service):
    ws, _ = await customer(service)
    await ws.send_str("{nope")
    await until(ws, of("error"))
    await ws.send_json({"type": "ping"})
    await until(ws, of("pong"))


async def test_a_binary_frame_is_closed_with_1003(service):
    ws, _ = await customer(service)
    await ws.send_bytes(b"\x00\x01")
    assert await close_code(ws) == 1003


async def test_an_oversized_frame_is_closed_with_1009(service, settings):
    ws, _ = await customer(service)
    await ws.send_str("x" * (settings.max_frame_bytes + 1))
    assert await close_code(ws) == 1009


async def test_a_flood_is_closed_with_4029(service, settings):
    ws, _ = await customer(service)
    for _ in range(settings.rate_limit_burst + 10):
        await ws.send_json({"type": "ping"})
    assert await close_code(ws) == 4029


async def test_a_first_frame_that_is_not_hello_is_closed_with_4001(service):
    ws = await service.ws_connect("/ws/customer")
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hi"})
    assert await close_code(ws) == 4001


async def test_no_hello_in_time_is_closed_with_4008(service):
    ws = await service.ws_connect("/ws/customer")
    assert await close_code(ws) == 4008


async def test_a_foreign_origin_is_refused_before_the_upgrade(service):
    response = await service.get(
        "/ws/customer",
        headers={
            "Origin": "https://evil.example",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        },
    )
    assert response.status == 403


async def test_a_listed_origin_is_accepted(service):
    ws = await service.ws_connect("/ws/customer", headers={"Origin": "https://shop.example"})
    await ws.send_json({"type": "hello"})
    assert (await until(ws, of("welcome")))["owner"] == "bot"


async def test_the_agent_socket_refuses_a_foreign_origin_too(service):
    response = await service.get(
        "/ws/agent",
        headers={
            "Origin": "https://evil.example",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        },
    )
    assert response.status == 403


async def test_a_misbehaving_client_does_not_disturb_another_conversation(service):
    good, _ = await customer(service)
    await until(good, of("message", sender="bot"))
    bad, _ = await customer(service)
    await bad.send_bytes(b"\xff")
    await good.send_json({"type": "message", "client_id": "m1", "text": "still fine"})
    await until(good, of("message", sender="bot", text="echo: still fine"))
    assert await close_code(bad) == 1003


async def test_a_client_that_vanishes_mid_conversation_does_not_break_the_relay(service, hub):
    ws, welcome = await customer(service)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "bye"})
    await until(ws, of("ack"))
    await ws.close()
    await hub.relay.idle()
    texts = [r["body"].get("text") for r in await hub.store.history(welcome["conversation_id"])]
    assert "echo: bye" in texts


async def test_a_database_failure_rejects_that_frame_and_keeps_the_connection(service, hub):
    from handoff.store import StoreError

    ws, _ = await customer(service)
    real_append = hub.store.append

    async def failing(*args, **kwargs):
        hub.store.append = real_append
        raise StoreError("disk full")

    hub.store.append = failing
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    assert (await until(ws, of("error")))["code"] == "unavailable"
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    assert (await until(ws, of("ack", client_id="m1")))["seq"] >= 1


async def test_a_database_failure_during_intake_answers_503_so_the_sender_retries(service, hub):
    from fakerasa import INTAKE_TOKEN, handoff_body

    from handoff.store import StoreError

    async def failing(*args, **kwargs):
        raise StoreError("down")

    hub.store.get_handoff = failing
    response = await service.post(
        "/api/handoffs",
        json=handoff_body("c-x"),
        headers={"Authorization": f"Bearer {INTAKE_TOKEN}"},
    )
    assert response.status == 503
