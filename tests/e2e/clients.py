"""Scripted customers and agents that speak docs/protocol.md over real websockets.

The end-to-end tests and the benchmarks drive the product with these, the way the widget and the
agent console do: every frame is JSON with a `type`, history frames carry a `seq`, and a client
that reconnects says which `seq` it saw last.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import websockets

Frame = dict[str, Any]


def ws_url(base_url: str, path: str) -> str:
    return base_url.replace("http://", "ws://", 1) + path


@dataclass
class Client:
    """Frames received on one websocket, with waiting for the next one that matches."""

    base_url: str
    frames: list[Frame] = field(default_factory=list)
    _ws: Any = None
    _reader: asyncio.Task[None] | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def _open(self, path: str) -> None:
        self._ws = await websockets.connect(
            ws_url(self.base_url, path), origin=self.base_url, max_size=2**20
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                self.frames.append(json.loads(raw))
                self._arrived.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self._arrived.set()

    async def send(self, frame: Frame) -> None:
        await self._ws.send(json.dumps(frame))

    async def wait_for(
        self, match: Callable[[Frame], bool], timeout: float = 30.0, after: int = 0
    ) -> Frame:
        """The first frame from index `after` on that satisfies `match`."""
        deadline = time.monotonic() + timeout
        while True:
            for frame in self.frames[after:]:
                if match(frame):
                    return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed:
                recent = json.dumps(self.frames[-8:], indent=1)[:3000]
                raise AssertionError(f"no matching frame within {timeout}s; last frames: {recent}")
            self._arrived.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    @property
    def closed(self) -> bool:
        return self._reader is not None and self._reader.done()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await self._reader


@dataclass
class Customer(Client):
    """A customer's widget: one conversation, resumable after a drop or a reload."""

    customer_token: str | None = None
    conversation_id: str | None = None
    resume_token: str | None = None

    @property
    def last_seq(self) -> int:
        return max((f["seq"] for f in self.frames if "seq" in f), default=0)

    async def connect(self) -> Frame:
        await self._open("/ws/customer")
        seen = len(self.frames)
        await self.send(
            {
                "type": "hello",
                "conversation_id": self.conversation_id,
                "resume_token": self.resume_token,
                "last_seq": self.last_seq,
                "customer_token": self.customer_token,
            }
        )
        welcome = await self.wait_for(lambda f: f["type"] == "welcome", after=seen)
        self.conversation_id = welcome["conversation_id"]
        self.resume_token = welcome["resume_token"]
        return welcome

    async def start(self, timeout: float = 60.0) -> Frame:
        """Connects and returns the assistant's opening message."""
        await self.connect()
        return await self.wait_for(
            lambda f: f["type"] == "message" and f["sender"] == "bot", timeout=timeout
        )

    async def say(self, text: str) -> int:
        """Sends a message and returns the seq the service acknowledged it with."""
        client_id = uuid.uuid4().hex
        await self.send({"type": "message", "client_id": client_id, "text": text})
        ack = await self.wait_for(lambda f: f["type"] == "ack" and f.get("client_id") == client_id)
        return int(ack["seq"])

    async def ask(self, text: str, timeout: float = 60.0) -> Frame:
        """Sends a message and returns the assistant's first answer to it."""
        return await self.reply_after(await self.say(text), timeout=timeout)

    async def press(self, button: Frame) -> int:
        """Picks a quick reply the bot offered; returns the seq of the customer's choice."""
        client_id = uuid.uuid4().hex
        await self.send({"type": "button", "client_id": client_id, **button})
        ack = await self.wait_for(lambda f: f["type"] == "ack" and f.get("client_id") == client_id)
        return int(ack["seq"])

    def messages(self, sender: str | None = None) -> list[Frame]:
        """History messages, once each, in seq order."""
        by_seq = {f["seq"]: f for f in self.frames if f["type"] == "message"}
        return [
            by_seq[s] for s in sorted(by_seq) if sender is None or by_seq[s]["sender"] == sender
        ]

    async def reply_after(self, seq: int, sender: str = "bot", timeout: float = 60.0) -> Frame:
        return await self.wait_for(
            lambda f: f["type"] == "message" and f["sender"] == sender and f["seq"] > seq,
            timeout=timeout,
        )


@dataclass
class Agent(Client):
    """An agent's console: logged in over HTTP, then one websocket."""

    username: str = ""
    password: str = ""
    token: str | None = None

    async def login(self) -> Frame:
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{self.base_url}/api/agent/login",
                json={"username": self.username, "password": self.password},
            ) as r,
        ):
            body = await r.json()
            assert r.status == 200, body
        self.token = body["token"]
        return body

    async def connect(self) -> Frame:
        if self.token is None:
            await self.login()
        await self._open("/ws/agent")
        seen = len(self.frames)
        await self.send({"type": "auth", "token": self.token})
        return await self.wait_for(lambda f: f["type"] == "welcome", after=seen)

    async def queued(self, conversation_id: str, timeout: float = 30.0) -> Frame:
        """The queue entry of a conversation, once the agent's queue shows it."""
        frame = await self.wait_for(
            lambda f: (
                f["type"] == "queue"
                and any(i["conversation_id"] == conversation_id for i in f["items"])
            ),
            timeout=timeout,
        )
        return next(i for i in frame["items"] if i["conversation_id"] == conversation_id)

    async def take(self, conversation_id: str, after: int = 0, timeout: float = 60.0) -> Frame:
        """Gets the conversation: by auto-assignment, or by claiming it from the queue (judged
        on the frames from index ``after`` on, so an earlier assignment does not count)."""
        frame = await self.wait_for(
            lambda f: (
                (f["type"] == "assigned" and f["conversation_id"] == conversation_id)
                or (
                    f["type"] == "queue"
                    and any(i["conversation_id"] == conversation_id for i in f["items"])
                )
            ),
            timeout=timeout,
            after=after,
        )
        if frame["type"] == "assigned":
            return frame
        return await self.claim(conversation_id)

    async def claim(self, conversation_id: str) -> Frame:
        await self.send({"type": "claim", "conversation_id": conversation_id})
        return await self.assigned(conversation_id)

    async def assigned(self, conversation_id: str, after: int = 0) -> Frame:
        return await self.wait_for(
            lambda f: f["type"] == "assigned" and f["conversation_id"] == conversation_id,
            after=after,
        )

    async def say(self, conversation_id: str, text: str) -> Frame:
        client_id = uuid.uuid4().hex
        await self.send(
            {
                "type": "message",
                "conversation_id": conversation_id,
                "client_id": client_id,
                "text": text,
            }
        )
        return await self.wait_for(lambda f: f["type"] == "ack" and f.get("client_id") == client_id)


def new_agent(
    stack: Any,
    name: str = "Agent",
    capacity: int = 5,
    teams: tuple[str, ...] = ("*",),
    languages: tuple[str, ...] = ("en",),
) -> Agent:
    """A fresh agent account on the stack (its own username), not yet connected."""
    username = f"agent{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    stack.create_agent(
        username, name, password, teams=teams, capacity=capacity, languages=languages
    )
    return Agent(stack.base_url, username=username, password=password)
