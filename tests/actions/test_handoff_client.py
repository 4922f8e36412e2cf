"""Handoffs reach the service, or wait in the outbox until they can; none is lost or doubled."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web

from actions.handoff_client import HandoffClient, SubmitResult

TOKEN = "intake-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeIntake:
    """A real HTTP server speaking the intake contract: 201 once, 200 for a repeat."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[str] = []
        self.queued: dict[str, dict] = {}
        self.fail_with: int | None = None
        self.delay = 0.0
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": "unauthorized"}, status=401)
        if self.fail_with:
            return web.json_response({"error": "boom"}, status=self.fail_with)
        body = await request.json()
        self.received.append(body["handoff_id"])
        if body["handoff_id"] in self.queued:
            return web.json_response(self.queued[body["handoff_id"]], status=200)
        answer = {
            "handoff_id": body["handoff_id"],
            "conversation_id": body["conversation_id"],
            "status": "queued",
            "position": len(self.queued) + 1,
        }
        self.queued[body["handoff_id"]] = answer
        return web.json_response(answer, status=201)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/handoffs", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()
            self.runner = None


@pytest.fixture
async def intake():
    server = FakeIntake(free_port())
    await server.start()
    yield server
    await server.stop()


def context(handoff_id: str = "c1:4") -> dict:
    return {"handoff_id": handoff_id, "conversation_id": handoff_id.split(":")[0], "turns": []}


def client_for(port: int, tmp_path, **kwargs) -> HandoffClient:
    return HandoffClient(f"http://127.0.0.1:{port}", TOKEN, tmp_path / "outbox.db", **kwargs)


async def test_a_handoff_is_delivered_with_the_bearer_token(intake, tmp_path):
    """A reachable service gets the context and its answer is returned."""
    result = await client_for(intake.port, tmp_path).submit(context())
    assert result == SubmitResult(
        True,
        {"handoff_id": "c1:4", "conversation_id": "c1", "status": "queued", "position": 1},
        None,
    )
    assert intake.received == ["c1:4"]


async def test_a_delivered_handoff_leaves_nothing_in_the_outbox(intake, tmp_path):
    """Only undelivered handoffs are stored."""
    client = client_for(intake.port, tmp_path)
    await client.submit(context())
    assert client.outbox() == []


async def test_when_the_service_is_down_the_handoff_waits_and_is_flushed_exactly_once(tmp_path):
    """Down → outbox; up → one flush delivers it; a second flush sends nothing."""
    port = free_port()
    client = client_for(port, tmp_path, timeout=1.0)
    result = await client.submit(context("c2:7"))
    assert result.delivered is False and result.error
    assert [(row["handoff_id"], row["status"]) for row in client.outbox()] == [("c2:7", "pending")]

    server = FakeIntake(port)
    await server.start()
    try:
        assert await client.flush_outbox(force=True) == 1
        assert await client.flush_outbox(force=True) == 0
        assert server.received == ["c2:7"]
        assert client.outbox() == []
    finally:
        await server.stop()


async def test_the_outbox_survives_a_restart_of_the_action_server(tmp_path):
    """A new client on the same file still has the pending handoff."""
    port = free_port()
    await client_for(port, tmp_path, timeout=1.0).submit(context("c3:1"))
    assert [row["handoff_id"] for row in client_for(port, tmp_path).outbox()] == ["c3:1"]


async def test_a_5xx_answer_is_kept_and_retried(intake, tmp_path):
    """A server error is temporary: stored as pending, delivered on a later flush."""
    client = client_for(intake.port, tmp_path)
    intake.fail_with = 503
    result = await client.submit(context())
    assert result.delivered is False and "HTTP 503" in result.error
    intake.fail_with = None
    assert await client.flush_outbox(force=True) == 1
    assert intake.received == ["c1:4"]


async def test_a_4xx_answer_is_kept_as_failed_and_not_retried(intake, tmp_path):
    """A rejected request is a bug: recorded with the reason, never re-sent."""
    client = HandoffClient(f"http://127.0.0.1:{intake.port}", "wrong-token", tmp_path / "o.db")
    result = await client.submit(context())
    assert result.delivered is False and "HTTP 401" in result.error
    [row] = client.outbox()
    assert row["status"] == "failed" and "HTTP 401" in row["last_error"]
    assert await client.flush_outbox(force=True) == 0
    assert intake.received == []


async def test_a_timeout_counts_as_unreachable(intake, tmp_path):
    """A service slower than the timeout leaves the handoff pending."""
    intake.delay = 1.0
    result = await client_for(intake.port, tmp_path, timeout=0.2).submit(context())
    assert result.delivered is False and "Timeout" in result.error


async def test_the_same_handoff_id_is_one_handoff(intake, tmp_path):
    """Submitting twice (a retried action) gets the same answer and stays one handoff."""
    client = client_for(intake.port, tmp_path)
    first = await client.submit(context("c4:2"))
    second = await client.submit(context("c4:2"))
    assert first.response == second.response
    assert list(intake.queued) == ["c4:2"]


async def test_a_retried_submit_while_down_is_stored_once(tmp_path):
    """Two failed submits of one handoff leave one outbox row with two attempts."""
    client = client_for(free_port(), tmp_path, timeout=1.0)
    await client.submit(context("c5:3"))
    await client.submit(context("c5:3"))
    [row] = client.outbox()
    assert row["attempts"] == 2


async def test_flush_sends_pending_items_in_order(intake, tmp_path):
    """The oldest handoff is delivered first."""
    down = client_for(free_port(), tmp_path, timeout=1.0)
    for handoff_id in ("a:1", "b:1", "c:1"):
        await down.submit(context(handoff_id))
    up = client_for(intake.port, tmp_path)
    assert await up.flush_outbox(force=True) == 3
    assert intake.received == ["a:1", "b:1", "c:1"]


async def test_flush_respects_backoff_unless_forced(tmp_path):
    """An item that just failed is not retried before its next attempt time."""
    port = free_port()
    client = client_for(port, tmp_path, timeout=1.0, retry_interval=60)
    await client.submit(context("c6:1"))
    server = FakeIntake(port)
    await server.start()
    try:
        assert await client.flush_outbox() == 0
        assert await client.flush_outbox(force=True) == 1
    finally:
        await server.stop()


async def test_the_retry_loop_delivers_in_the_background(tmp_path):
    """ensure_retry_loop flushes by itself once the service is back."""
    port = free_port()
    client = client_for(port, tmp_path, timeout=0.5, retry_interval=0.05)
    await client.submit(context("c7:9"))
    server = FakeIntake(port)
    await server.start()
    task = client.ensure_retry_loop()
    try:
        for _ in range(100):
            if server.received:
                break
            await asyncio.sleep(0.05)
        assert server.received == ["c7:9"]
        assert client.ensure_retry_loop() is task
    finally:
        task.cancel()
        await server.stop()


def test_the_retry_loop_needs_a_running_event_loop(tmp_path):
    """Starting it outside a loop is a clear RuntimeError."""
    with pytest.raises(RuntimeError):
        client_for(free_port(), tmp_path).ensure_retry_loop()


async def test_a_context_without_handoff_id_is_refused(tmp_path):
    """Without an id the handoff cannot be made idempotent, so it is a ValueError."""
    with pytest.raises(ValueError, match="handoff_id"):
        await client_for(free_port(), tmp_path).submit({"conversation_id": "c"})


@pytest.mark.parametrize(
    "env, error",
    [
        ({}, "HANDOFF_INTAKE_TOKEN"),
        ({"HANDOFF_INTAKE_TOKEN": "t", "HANDOFF_URL": "ftp://x"}, "http"),
    ],
)
def test_from_env_names_the_bad_setting(monkeypatch, env, error):
    """Missing token or a non-HTTP URL fails loudly, naming the problem."""
    for name in ("HANDOFF_URL", "HANDOFF_INTAKE_TOKEN", "NW_HANDOFF_OUTBOX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=error):
        HandoffClient.from_env()


def test_from_env_uses_the_documented_defaults(monkeypatch):
    """Without overrides the client talks to the local service and var/ outbox."""
    monkeypatch.delenv("HANDOFF_URL", raising=False)
    monkeypatch.delenv("NW_HANDOFF_OUTBOX", raising=False)
    monkeypatch.setenv("HANDOFF_INTAKE_TOKEN", "t")
    client = HandoffClient.from_env()
    assert client.url == "http://127.0.0.1:8000/api/handoffs"
    assert str(client.outbox_path) == "var/handoff_outbox.db"
