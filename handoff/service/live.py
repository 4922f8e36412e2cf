"""The live registry: one `Live` record per conversation in memory, and the sockets to send to.

A record is created by `get` and dropped by `forget`, nowhere else, so forgetting a
conversation cannot leave a piece of it behind. Every frame to a customer or an agent goes
through `send`: spreading conversations over several instances means replacing that one
method with a publish on a shared channel (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from handoff.frames import ServerFrame

log = structlog.get_logger("handoff.live")


class Sender(Protocol):
    """What the registry needs of a socket (aiohttp's WebSocketResponse is one)."""

    @property
    def closed(self) -> bool: ...

    async def send_json(self, data: Any) -> None: ...

    async def close(self, *, code: int = ..., message: bytes = ...) -> bool: ...


# message, kind, seq, and the commit of the stored input (None: already committed)
Input = tuple[str, str, int | None, asyncio.Future[None] | None]


@dataclass(frozen=True)
class Offered:
    """A suggested reply offered to the agent (service/assist.py)."""

    text: str
    source: str


@dataclass
class Live:
    """What the service holds in memory about one conversation besides its desk entry."""

    customer: Sender | None = None  # the customer's open socket
    opening: int = 0  # customer sockets between their hello and being attached
    context: dict[str, Any] | None = None  # the handoff context, without redacted originals
    buttons: list[dict[str, str]] | None = None  # offered last; None until read from storage
    customer_token: str | None = None
    token_known: bool = False  # customer_token was set (it may be None)
    outcome: dict[str, str] | None = None  # the agent's outcome, until the hand back is told
    sent_queue: tuple[Any, ...] | None = None  # the queue status the customer saw last
    times_queued: int = 0
    # The earlier conversation this one came back about, for the queue card (service/intake).
    recontact: str | None = None
    # A notice to tell once the assistant's answer being relayed is stored (emergencies).
    after_answer: Callable[[], Awaitable[None]] | None = None
    # The relay's work for this conversation: input waiting for the assistant, in order.
    inbox: asyncio.Queue[Input] | None = None
    worker: asyncio.Task[None] | None = None
    pending: int = 0
    # Suggested replies offered to the agent, by id, the latest last.
    suggestions: OrderedDict[str, Offered] | None = None

    def set_customer_token(self, token: str | None) -> None:
        self.customer_token, self.token_known = token, True


@dataclass(frozen=True)
class ToCustomer:
    conversation_id: str


@dataclass(frozen=True)
class ToAgent:
    agent_id: str
    about: str | None = None  # the conversation the frame is about, added to it for the agent


Target = ToCustomer | ToAgent


@dataclass
class LiveRegistry:
    conversations: dict[str, Live] = field(default_factory=dict)
    agents: dict[str, Sender] = field(default_factory=dict)  # agent id → open socket
    closing: bool = False  # shutting down: sockets that finish their handshake are closed

    def get(self, conversation_id: str) -> Live:
        """The conversation's record, created on first use."""
        live = self.conversations.get(conversation_id)
        if live is None:
            live = self.conversations[conversation_id] = Live()
        return live

    def find(self, conversation_id: str) -> Live | None:
        return self.conversations.get(conversation_id)

    def forget(self, conversation_id: str) -> None:
        self.conversations.pop(conversation_id, None)

    def has_customer(self, conversation_id: str) -> bool:
        live = self.conversations.get(conversation_id)
        return live is not None and live.customer is not None

    def opening(self, conversation_id: str) -> bool:
        """A customer socket of this conversation is being welcomed or caught up."""
        live = self.conversations.get(conversation_id)
        return live is not None and live.opening > 0

    def busy(self, conversation_id: str) -> bool:
        """Input for this conversation is still on its way to the assistant."""
        live = self.conversations.get(conversation_id)
        return live is not None and live.pending > 0

    def sockets(self) -> Iterator[Sender]:
        yield from (live.customer for live in self.conversations.values() if live.customer)
        yield from self.agents.values()

    async def send(self, to: Target, frame: ServerFrame) -> None:
        """Send a frame to a customer or an agent if their socket is open here; a vanished
        client reads what it missed on reconnect."""
        ws: Sender | None
        if isinstance(to, ToCustomer):
            live = self.conversations.get(to.conversation_id)
            ws = live.customer if live is not None else None
        else:
            ws = self.agents.get(to.agent_id)
        if ws is None or ws.closed:
            return
        data = frame.to_json()
        if isinstance(to, ToAgent) and to.about is not None:
            data = {**data, "conversation_id": to.about}
        try:
            await ws.send_json(data)
        except (ConnectionError, RuntimeError) as exc:
            log.info("hub.send_failed", error=str(exc))
