"""Suggested replies on the service side (handoff/service/assist.py), through the real app factory.

The assistant's assist endpoint is played by a small aiohttp app next to the fake Rasa; the real
endpoint is exercised in test_assist_live.py.
"""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from fakerasa import INTAKE_TOKEN, FakeRasa, handoff_body
from promutil import sample
from wsutil import agent, customer, of, until

from handoff.service.assist import AssistClient, AssistUnavailable

AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}
ASSIST_TOKEN = "assist-token-0123456789abcdef"
SHIPPING = "Standard shipping takes 3-5 business days."


class FakeAssist:
    """Answers like the assistant's endpoint: an FAQ answer for shipping questions, nothing
    for anything else; refuses a request without the token."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.down = False

    async def handle(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Assist-Token") != ASSIST_TOKEN:
            return web.json_response({"error": "unauthorised"}, status=401)
        body = await request.json()
        self.received.append(body)
        if self.down:
            return web.Response(status=503)
        found = []
        if "shipping" in body["text"]:
            found.append({"text": SHIPPING, "source": "assistant", "label": "FAQ answer"})
        found += [
            {"text": p["reply"], "source": "agents", "label": "An agent's reply"}
            for p in body["past"]
            if "shipping" in p["customer"] and "shipping" in body["text"]
        ]
        return web.json_response({"suggestions": found})


@pytest.fixture
def assist() -> FakeAssist:
    return FakeAssist()


@pytest.fixture
def rasa(assist: FakeAssist) -> FakeRasa:
    fake = FakeRasa()
    fake.app.router.add_post("/webhooks/assist/suggest", assist.handle)
    return fake


@pytest.fixture
def settings(settings):
    return settings.with_changes(assist_token=ASSIST_TOKEN)


async def owned_conversation(service, make_agent, username="ana"):
    """A customer handed off and taken by an agent: (customer ws, agent ws, conversation id)."""
    ws_a, _ = await agent(service, await make_agent(username))
    ws_c, welcome = await customer(service)
    await until(ws_c, of("message", sender="bot"))
    cid = welcome["conversation_id"]
    response = await service.post("/api/handoffs", json=handoff_body(cid), headers=AUTH)
    assert response.status == 201
    await until(ws_a, of("assigned"))
    return ws_c, ws_a, cid


async def say(ws_c, text: str, client_id: str) -> None:
    await ws_c.send_json({"type": "message", "client_id": client_id, "text": text})
    await until(ws_c, of("ack", client_id=client_id))


async def test_a_customer_message_brings_the_agent_suggestions_asked_with_the_token(
    service, make_agent, assist
):
    ws_c, ws_a, cid = await owned_conversation(service, make_agent)
    await say(ws_c, "how long does shipping take?", "c1")
    frame = await until(ws_a, of("suggestions", conversation_id=cid))
    [item] = frame["items"]
    assert (item["text"], item["source"], item["label"]) == (SHIPPING, "assistant", "FAQ answer")
    assert item["id"] and isinstance(frame["seq"], int)
    assert assist.received[-1]["conversation_id"] == cid


async def test_a_message_sent_from_a_suggestion_is_stored_marked_and_counted(
    service, make_agent, hub
):
    ws_c, ws_a, cid = await owned_conversation(service, make_agent)
    await say(ws_c, "how long does shipping take?", "c1")
    [item] = (await until(ws_a, of("suggestions")))["items"]
    edited = SHIPPING + " Yours left today."
    for client_id, text in (("a1", edited), ("a2", SHIPPING)):
        await ws_a.send_json(
            {
                "type": "message",
                "conversation_id": cid,
                "client_id": client_id,
                "text": text,
                "suggestion": item["id"],
            }
        )
        await until(ws_a, of("ack", client_id=client_id))
    await until(ws_c, of("message", sender="agent", text=SHIPPING))
    marks = [r["body"].get("suggestion") for r in await hub.store.history(cid)]
    assert {"source": "assistant", "edited": True} in marks
    assert {"source": "assistant", "edited": False} in marks
    metrics = await (await service.get("/metrics")).text()
    used = "handoff_suggestions_used_total"
    assert sample(metrics, used, source="assistant", edited="yes") == 1
    assert sample(metrics, used, source="assistant", edited="no") == 1
    assert sample(metrics, "handoff_suggestions_offered_total", source="assistant") == 1


async def test_an_unknown_suggestion_id_sends_the_message_unmarked(service, make_agent, hub):
    ws_c, ws_a, cid = await owned_conversation(service, make_agent)
    await ws_a.send_json(
        {
            "type": "message",
            "conversation_id": cid,
            "client_id": "a1",
            "text": "Hello",
            "suggestion": "forged",
        }
    )
    await until(ws_c, of("message", sender="agent", text="Hello"))
    assert all("suggestion" not in r["body"] for r in await hub.store.history(cid))


async def test_past_agent_replies_go_along_but_never_ones_naming_a_customers_data(
    service, make_agent, assist
):
    ws_c, ws_a, first = await owned_conversation(service, make_agent, "ana")
    for n, (asked, reply) in enumerate(
        [
            ("what about shipping to Spain?", "We ship to Spain in 4 days."),
            ("shipping to my address dana@example.com?", "Yes, to dana@example.com."),
        ]
    ):
        await say(ws_c, asked, f"c{n}")
        message = {"type": "message", "conversation_id": first, "text": reply}
        await ws_a.send_json({**message, "client_id": f"a{n}"})
        await until(ws_a, of("ack", client_id=f"a{n}"))
    ws_c2, ws_b, second = await owned_conversation(service, make_agent, "ben")
    await say(ws_c2, "is shipping fast?", "d1")
    frame = await until(ws_b, of("suggestions", conversation_id=second))
    assert [i["text"] for i in frame["items"]] == [SHIPPING, "We ship to Spain in 4 days."]
    sent = assist.received[-1]["past"]
    assert sent == [
        {"customer": "what about shipping to Spain?", "reply": "We ship to Spain in 4 days."}
    ]


async def test_without_the_assistant_the_chat_goes_on_with_no_suggestions(
    service, make_agent, assist, hub
):
    assist.down = True
    ws_c, ws_a, _ = await owned_conversation(service, make_agent)
    await say(ws_c, "how long does shipping take?", "c1")
    # The suggestions are asked for after the message is acknowledged: wait for that ask, and
    # its failure, before the next message.
    await asyncio.wait_for(asyncio.gather(*hub.assist.tasks), timeout=5)
    assert assist.received  # asked, and it failed
    await say(ws_c, "hello?", "c2")

    def suggestions_or_last_message(f: dict) -> bool:
        return f.get("type") == "suggestions" or f.get("text") == "hello?"

    frame = await until(ws_a, suggestions_or_last_message)
    assert frame["type"] == "message"


async def test_a_message_the_bot_owns_asks_for_no_suggestion(service, assist, rasa):
    ws_c, _ = await customer(service)
    await until(ws_c, of("message", sender="bot"))
    await say(ws_c, "how long does shipping take?", "c1")
    await until(ws_c, of("message", sender="bot", text="echo: how long does shipping take?"))
    assert assist.received == []


async def test_the_client_refuses_an_endpoint_that_refuses_its_token(aiohttp_server, assist):
    app = web.Application()
    app.router.add_post("/webhooks/assist/suggest", assist.handle)
    server = await aiohttp_server(app)
    client = AssistClient(str(server.make_url("")).rstrip("/"), "wrong-token-0123456789")
    with pytest.raises(AssistUnavailable, match="401"):
        await client.suggest("c1", "hi", [])
    await client.close()
