"""Helpers for reading frames in tests."""

from __future__ import annotations

import asyncio
import uuid


async def until(ws, predicate, timeout: float = 3.0) -> dict:
    """Read frames until one matches; fail with the frames seen if none does in time."""
    seen = []

    async def read() -> dict:
        while True:
            frame = await ws.receive_json()
            seen.append(frame)
            if predicate(frame):
                return frame

    try:
        return await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise AssertionError(f"no matching frame within {timeout}s; saw {seen}") from None


def of(kind: str, **fields):
    return lambda f: f.get("type") == kind and all(f.get(k) == v for k, v in fields.items())


def event(name: str):
    return lambda f: f.get("type") == "event" and f.get("event") == name


def cid() -> str:
    return uuid.uuid4().hex


async def customer(service, **hello):
    """Connect a customer and read the welcome."""
    ws = await service.ws_connect("/ws/customer")
    await ws.send_json(
        {"type": "hello", "conversation_id": None, "resume_token": None, "last_seq": 0, **hello}
    )
    welcome = await until(ws, of("welcome"))
    return ws, welcome


async def agent(service, token):
    ws = await service.ws_connect("/ws/agent")
    await ws.send_json({"type": "auth", "token": token})
    welcome = await until(ws, of("welcome"))
    return ws, welcome


async def upto(ws, predicate, timeout: float = 3.0) -> list[dict]:
    """Every frame read up to and including the first that matches."""
    seen: list[dict] = []

    def record(frame: dict) -> bool:
        seen.append(frame)
        return predicate(frame)

    await until(ws, record, timeout)
    return seen


def first(frames: list[dict], predicate) -> dict:
    return next(f for f in frames if predicate(f))


async def close_code(ws, timeout: float = 3.0) -> int:
    """Read until the server closes; the code it sent in its close frame."""
    from aiohttp import WSMsgType

    async def read() -> int:
        while True:
            msg = await ws.receive()
            if msg.type == WSMsgType.CLOSE:
                return int(msg.data)
            if msg.type in (WSMsgType.CLOSED, WSMsgType.ERROR):
                return int(ws.close_code or 1006)

    return await asyncio.wait_for(read(), timeout)
