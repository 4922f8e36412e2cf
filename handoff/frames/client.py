"""Client frames of both sockets, parsed at the boundary into one frozen dataclass per type.

`parse_customer(text)` and `parse_agent(text)` return the frame or raise `FrameError`, whose
`code` is one of `bad_json`, `unknown_type`, `bad_field` (the codes of docs/protocol.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, overload

from handoff.frames.server import FrameError
from handoff.frames.specs import AGENT, CUSTOMER, check
from handoff.safejson import BadJson, loads


class ClientFrame:
    """A checked client frame; its fields are those of its spec in CUSTOMER or AGENT."""


@dataclass(frozen=True)
class Ping(ClientFrame):
    pass


@dataclass(frozen=True)
class Hello(ClientFrame):
    conversation_id: str | None
    resume_token: str | None
    last_seq: int | None
    customer_token: str | None


@dataclass(frozen=True)
class Message(ClientFrame):
    client_id: str
    text: str


@dataclass(frozen=True)
class Button(ClientFrame):
    client_id: str
    title: str | None
    payload: str


@dataclass(frozen=True)
class Ack(ClientFrame):
    seq: int


@dataclass(frozen=True)
class Typing(ClientFrame):
    on: bool


@dataclass(frozen=True)
class RequestAgent(ClientFrame):
    pass


@dataclass(frozen=True)
class ContinueWithBot(ClientFrame):
    pass


@dataclass(frozen=True)
class Contact(ClientFrame):
    client_id: str
    name: str | None
    email: str | None
    phone: str | None
    note: str | None


@dataclass(frozen=True)
class Csat(ClientFrame):
    score: int
    comment: str | None
    part: str | None  # "assistant" or "person" (the default)


@dataclass(frozen=True)
class Auth(ClientFrame):
    token: str


@dataclass(frozen=True)
class Status(ClientFrame):
    available: bool


@dataclass(frozen=True)
class Claim(ClientFrame):
    conversation_id: str


@dataclass(frozen=True)
class AgentMessage(ClientFrame):
    conversation_id: str
    client_id: str
    text: str
    suggestion: str | None


@dataclass(frozen=True)
class AgentTyping(ClientFrame):
    conversation_id: str
    on: bool


@dataclass(frozen=True)
class Note(ClientFrame):
    conversation_id: str
    client_id: str
    text: str


@dataclass(frozen=True)
class Draft(ClientFrame):
    conversation_id: str
    decision: str
    text: str | None
    client_id: str | None


@dataclass(frozen=True)
class Transfer(ClientFrame):
    conversation_id: str
    to_agent: str | None
    to_team: str | None
    note: str | None


@dataclass(frozen=True)
class Handback(ClientFrame):
    conversation_id: str
    outcome: str


@dataclass(frozen=True)
class Close(ClientFrame):
    conversation_id: str
    resolution: str
    intent: str | None  # what the customer actually wanted (service/labels.py)
    misunderstood: list[int] | None


@dataclass(frozen=True)
class Reveal(ClientFrame):
    conversation_id: str
    placeholder: str


CUSTOMER_FRAMES: dict[str, type[ClientFrame]] = {
    "hello": Hello,
    "message": Message,
    "button": Button,
    "ack": Ack,
    "typing": Typing,
    "request_agent": RequestAgent,
    "continue_with_bot": ContinueWithBot,
    "contact": Contact,
    "csat": Csat,
    "ping": Ping,
}
AGENT_FRAMES: dict[str, type[ClientFrame]] = {
    "auth": Auth,
    "status": Status,
    "claim": Claim,
    "message": AgentMessage,
    "typing": AgentTyping,
    "note": Note,
    "draft": Draft,
    "transfer": Transfer,
    "handback": Handback,
    "close": Close,
    "reveal": Reveal,
    "ping": Ping,
}

F = TypeVar("F", bound=ClientFrame)


@overload
def parse_customer(text: str) -> ClientFrame: ...
@overload
def parse_customer(text: str, only: type[F]) -> F: ...
def parse_customer(text: str, only: type[ClientFrame] | None = None) -> ClientFrame:
    """A customer frame; with `only`, any other type is an unknown type (the first frame)."""
    return _parse(text, CUSTOMER, CUSTOMER_FRAMES, only)


@overload
def parse_agent(text: str) -> ClientFrame: ...
@overload
def parse_agent(text: str, only: type[F]) -> F: ...
def parse_agent(text: str, only: type[ClientFrame] | None = None) -> ClientFrame:
    return _parse(text, AGENT, AGENT_FRAMES, only)


def _parse(
    text: str,
    specs: dict[str, dict[str, str]],
    classes: dict[str, type[ClientFrame]],
    only: type[ClientFrame] | None,
) -> ClientFrame:
    if only is not None:
        specs = {k: v for k, v in specs.items() if classes[k] is only}
    try:
        frame = loads(text)
    except BadJson as exc:
        raise FrameError("bad_json", f"frame is not acceptable JSON: {exc}") from None
    if not isinstance(frame, dict):
        raise FrameError("bad_json", "frame must be a JSON object")
    kind = frame.get("type")
    ref = frame.get("client_id") if isinstance(frame.get("client_id"), str) else None
    if not isinstance(kind, str) or kind not in specs:
        raise FrameError(
            "unknown_type", f"unknown frame type {kind!r}; expected one of {sorted(specs)}", ref
        )
    for name, rule in specs[kind].items():
        check(frame, name, rule, ref)
    return classes[kind](**{name: frame.get(name) for name in specs[kind]})
