"""A hub over a real SQLite store with a fake assistant and fake sockets: no network at all."""

from __future__ import annotations

import asyncio

from handoff.metrics import Metrics
from handoff.rasa import RasaUnavailable
from handoff.service.hub import Hub
from handoff.settings import Settings


class FakeSocket:
    """Records what the live registry sends it."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[dict] = []
        self.closed = False
        self.fail = fail
        self.close_code: int | None = None

    async def send_json(self, data) -> None:
        if self.fail:
            raise ConnectionResetError("peer went away")
        self.sent.append(data)

    async def close(self, *, code: int = 1000, message: bytes = b"") -> bool:
        self.closed, self.close_code = True, code
        return True

    def types(self) -> list[str]:
        return [f["type"] for f in self.sent]

    def events(self) -> list[str]:
        return [f["event"] for f in self.sent if f["type"] == "event"]


class FakeAssistant:
    """Answers each message with `replies`, or raises RasaUnavailable while `down`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []
        self.replies: list[dict] = [{"text": "Hello!"}]
        self.down = False
        self.gate: asyncio.Event | None = None  # set: the call in flight may answer

    async def send(self, conversation_id: str, message: str, metadata: dict) -> list[dict]:
        self.calls.append((conversation_id, message, metadata))
        if self.gate is not None:
            await self.gate.wait()
        if self.down:
            raise RasaUnavailable("connection refused")
        return list(self.replies)

    async def close(self) -> None:
        pass


async def make_hub(tmp_path, **changes) -> Hub:
    from handoff.store import open_store

    store = open_store(f"sqlite:///{tmp_path}/hub.db")
    await store.open()
    settings = Settings(
        intake_token="t" * 32,
        database_url=f"sqlite:///{tmp_path}/hub.db",
        agent_grace_seconds=0.3,
        **changes,
    )
    hub = Hub(settings, store, FakeAssistant(), Metrics(), clock=lambda: 1000.0)
    await hub.start()
    return hub


async def open_conversation(hub: Hub, cid: str = "c1", token: str | None = "tok") -> FakeSocket:
    """A bot-owned conversation with a customer socket attached."""
    await hub.store.create_conversation(cid, "resume", token, hub.clock())
    hub.desk.open(cid)
    live = hub.live.get(cid)
    live.set_customer_token(token)
    live.customer = ws = FakeSocket()
    return ws
