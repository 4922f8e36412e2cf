"""A fake Rasa REST channel: deterministic replies, and it can be made slow or down.

Like the real action server, it posts the handoff context to the service when the
customer asks for a person or says something angry.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
from aiohttp import web

# The bearer token the fake action server and the service under test share.
INTAKE_TOKEN = "test-intake-token-0123456789"
GREETING = "Hi, I am the Northwind assistant, an AI. Ask for a person at any time."
SAFETY = (
    "Stop using it and get away from it. Call your local emergency number if anyone is in danger."
)


class FakeRasa:
    def __init__(self) -> None:
        self.received: list[dict] = []
        self.delay = 0.0
        self.down = False
        self.handoff_url: str | None = None
        self.intake_token = ""
        # Customer text -> the turn facts to add to the answer ({"custom": {"turn": ...}}),
        # as the assistant's REST channel does (assistant/turn_channel.py).
        self.turns: dict[str, object] = {}
        self.app = web.Application()
        self.app.router.add_post("/webhooks/rest/webhook", self.webhook)

    def texts(self) -> list[str]:
        return [r["message"] for r in self.received]

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        if self.down:
            return web.Response(status=503, text="down")
        await asyncio.sleep(self.delay)
        replies = await self.reply(body)
        if body["message"] in self.turns:
            turn = self.turns[body["message"]]
            replies.append({"recipient_id": body["sender"], "custom": {"turn": turn}})
        return web.json_response(replies)

    async def reply(self, body: dict) -> list[dict]:
        sender, message = body["sender"], body["message"]
        if message == "/session_start":
            return [
                {
                    "recipient_id": sender,
                    "text": GREETING,
                    "buttons": [{"title": "Track an order", "payload": "/track_order"}],
                }
            ]
        if message == "/track_order":
            return [{"recipient_id": sender, "text": "Which order number?"}]
        if message == "/request_human":
            await self.post_handoff(
                sender, kind="customer_request", tier="assistance", sentiment=0.0
            )
            return [{"recipient_id": sender, "text": "I am connecting you with a person."}]
        if message.startswith("/handback"):
            entities = json.loads(message.removeprefix("/handback"))
            return [
                {
                    "recipient_id": sender,
                    "text": f"{entities['agent_name']} noted: {entities['agent_outcome']}. "
                    "You are talking to an AI assistant again.",
                }
            ]
        if "angry" in message:
            await self.post_handoff(sender, kind="sentiment", tier="escalation", sentiment=-0.9)
            return [{"recipient_id": sender, "text": "I am sorry. A person will help you."}]
        if "sparking" in message:
            await self.post_handoff(sender, kind="risk", tier="emergency", sentiment=0.0)
            return [
                {"recipient_id": sender, "text": SAFETY},
                {"recipient_id": sender, "text": "I'm bringing in a person from our team now."},
            ]
        if "card" in message:
            return [
                {"recipient_id": sender, "custom": {"kind": "order_card", "order_id": "NW-10007"}}
            ]
        return [{"recipient_id": sender, "text": f"echo: {message}"}]

    async def post_handoff(self, sender: str, *, kind: str, tier: str, sentiment: float) -> None:
        assert self.handoff_url, "the test did not tell the fake Rasa where the service is"
        body = handoff_body(sender, kind=kind, tier=tier, sentiment=sentiment)
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                self.handoff_url,
                json=body,
                headers={"Authorization": f"Bearer {self.intake_token}"},
            ) as response,
        ):
            assert response.status in (200, 201), await response.text()


def handoff_body(
    conversation_id: str,
    *,
    kind: str = "sentiment",
    tier: str = "escalation",
    sentiment: float = -0.82,
    handoff_id: str | None = None,
    topic: str = "refunds",
) -> dict:
    return {
        "handoff_id": handoff_id or f"{conversation_id}:7",
        "conversation_id": conversation_id,
        "created_at": "2026-11-23T05:00:00Z",
        "trigger": {
            "kind": kind,
            "value": sentiment,
            "threshold": -0.5,
            "detail": f"customer sentiment {sentiment} is below -0.5",
        },
        "risk": {"tier": tier, "reasons": ["angry customer"]},
        "topic": topic,
        "summary": "Customer asked about the refund for NW-10007.",
        "customer": {
            "verified": True,
            "method": "signed_token",
            "customer_id": "C1003",
            "name": "Dana Whitfield",
        },
        "slots": {"order_id": "NW-10007"},
        "turns": [
            {
                "sender": "customer",
                "text": "my email is [EMAIL_1]",
                "timestamp": "2026-11-23T04:59:00Z",
                "sentiment": sentiment,
            }
        ],
        "sentiment": {"latest": sentiment, "mean": -0.3, "trend": [0.0, sentiment]},
        "draft": {
            "reply": "I have issued your refund.",
            "action": {"name": "refund", "order_id": "NW-10007"},
        },
        "redactions": [{"placeholder": "[EMAIL_1]", "kind": "email", "value": "dana@example.com"}],
    }
