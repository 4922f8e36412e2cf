"""Plays conversation scripts over the customer websocket and records what came back.

Each script gets a conversation of its own. A turn is sent, then the player waits until the
turn has settled: the assistant stopped typing (or a handoff arrived) and no frame came for a
short quiet spell, so replies and handoff events land in the turn that caused them. Playing
stops at the first handoff: the assistant no longer answers a queued conversation.

An agent socket, set unavailable so nothing is assigned away, watches the queue and gives each
handed-off conversation's item (priority, tier, reason, trigger).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from typing import Any

import websockets

from bench.judgement.judge import Frame, Recording, TurnRecord, is_handoff
from bench.judgement.scripts import Script, Turn
from tests.e2e.clients import Agent, Customer

REPLY_TIMEOUT = 60.0  # the assistant's answer to one turn
QUIET = 0.7  # no new frame for this long after the answer: the turn has settled
SETTLE_MAX = 10.0  # a turn never takes longer than this after its answer
QUEUE_TIMEOUT = 5.0  # for the agent's queue to show a handed-off conversation
SCRIPT_TIMEOUT = 300.0


class QueueWatch:
    """An agent socket that watches the queue and never takes a conversation."""

    def __init__(self, agent: Agent) -> None:
        self.agent = agent

    async def start(self) -> None:
        await self.agent.connect()
        await self.agent.send({"type": "status", "available": False})

    def item(self, conversation_id: str) -> dict[str, Any] | None:
        """The conversation's item as the queue first showed it (its place when it was queued)."""
        for frame in self.agent.frames:
            if frame.get("type") != "queue":
                continue
            for item in frame.get("items", []):
                if item.get("conversation_id") == conversation_id:
                    return dict(item)
        return None

    async def wait_item(
        self, conversation_id: str, timeout: float = QUEUE_TIMEOUT
    ) -> dict[str, Any] | None:
        def shows(frame: Frame) -> bool:
            return frame.get("type") == "queue" and any(
                i.get("conversation_id") == conversation_id for i in frame.get("items", [])
            )

        with contextlib.suppress(AssertionError):
            await self.agent.wait_for(shows, timeout=timeout)
        return self.item(conversation_id)

    async def close(self) -> None:
        await self.agent.close()


async def _quiet(customer: Customer, quiet: float = QUIET, limit: float = SETTLE_MAX) -> None:
    """Returns once no frame arrived for `quiet` seconds (or after `limit`)."""
    deadline = time.monotonic() + limit
    count = len(customer.frames)
    last_change = time.monotonic()
    while time.monotonic() < deadline and not customer.closed:
        await asyncio.sleep(0.05)
        if len(customer.frames) != count:
            count, last_change = len(customer.frames), time.monotonic()
        elif time.monotonic() - last_change >= quiet:
            return


def _latest_buttons(frames: list[Frame]) -> list[dict[str, str]]:
    for frame in reversed(frames):
        if frame.get("type") == "message" and frame.get("sender") == "bot" and frame.get("buttons"):
            return list(frame["buttons"])
    return []


async def _send(customer: Customer, turn: Turn) -> str:
    """Sends one turn; returns an error when it could not be sent as written."""
    if turn.kind == "request_agent":
        await customer.send({"type": "request_agent"})
        return ""
    client_id = uuid.uuid4().hex
    if turn.kind == "say":
        frame: Frame = {"type": "message", "client_id": client_id, "text": turn.value}
    else:
        offered = _latest_buttons(customer.frames)
        chosen = [b for b in offered if turn.value in (b.get("title"), b.get("payload"))]
        if not chosen:
            titles = [b.get("title") for b in offered]
            return f"button {turn.value!r} not offered (offered: {titles})"
        frame = {"type": "button", "client_id": client_id, **chosen[0]}
    await customer.send(frame)
    try:
        answer = await customer.wait_for(
            lambda f: (
                f.get("type") in ("ack", "error")
                and (f.get("client_id") == client_id or f.get("ref") == client_id)
            ),
            timeout=REPLY_TIMEOUT,
        )
    except AssertionError:
        return f"no ack within {REPLY_TIMEOUT:.0f}s"
    if answer["type"] == "error":
        return f"refused: {answer.get('code')} {answer.get('message')}"
    return ""


def _settled(start: int) -> Callable[[Frame], bool]:
    def match(frame: Frame) -> bool:
        typing_off = (
            frame.get("type") == "typing" and frame.get("sender") == "bot" and not frame.get("on")
        )
        return typing_off or is_handoff(frame)

    return match


async def play_turn(customer: Customer, turn: Turn) -> TurnRecord:
    start = len(customer.frames)
    error = await _send(customer, turn)
    if not error:
        try:
            await customer.wait_for(_settled(start), timeout=REPLY_TIMEOUT, after=start)
        except AssertionError:
            error = f"no answer within {REPLY_TIMEOUT:.0f}s"
        await _quiet(customer)
    return TurnRecord(turn, list(customer.frames[start:]), error)


async def play(base_url: str, script: Script, watch: QueueWatch | None) -> Recording:
    """Plays one script in a new conversation and records every turn."""
    customer = Customer(base_url)
    try:
        await customer.connect()
        await _quiet(customer)
        recording = Recording(customer.conversation_id or "", list(customer.frames))
        for turn in script.turns:
            record = await play_turn(customer, turn)
            recording.turns.append(record)
            if record.error or any(is_handoff(f) for f in record.frames):
                break
        if watch is not None and any(is_handoff(f) for r in recording.turns for f in r.frames):
            recording.queue_item = await watch.wait_item(recording.conversation_id)
        return recording
    finally:
        with contextlib.suppress(Exception):
            await customer.close()


async def play_all(
    base_url: str,
    scripts: list[Script],
    watch: QueueWatch | None,
    concurrency: int = 3,
    progress: Callable[[Script, Recording | None, str], None] | None = None,
) -> dict[str, Recording | str]:
    """Every script, a few conversations at a time: a Recording, or why it could not be played."""
    gate = asyncio.Semaphore(concurrency)
    results: dict[str, Recording | str] = {}

    async def one(script: Script) -> None:
        async with gate:
            try:
                recording = await asyncio.wait_for(play(base_url, script, watch), SCRIPT_TIMEOUT)
                results[script.id] = recording
                if progress:
                    progress(script, recording, "")
            except (OSError, TimeoutError, AssertionError, websockets.WebSocketException) as exc:
                problem = f"could not be played: {type(exc).__name__}: {exc}"[:500]
                results[script.id] = problem
                if progress:
                    progress(script, None, problem)

    await asyncio.gather(*(one(s) for s in scripts))
    return {s.id: results[s.id] for s in scripts}
