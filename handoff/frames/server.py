"""Server frames of both sockets: one dataclass per frame, `to_json()` is what goes on the wire.

No other module writes a server frame as a dict: the shapes of docs/protocol.md live here, with
`FrameError`, which carries the error frame answering a refused client frame.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

Json = dict[str, Any]


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ServerFrame:
    """A frame the service sends."""

    def to_json(self) -> Json:
        raise NotImplementedError(type(self).__name__)


@dataclass(frozen=True)
class ErrorFrame(ServerFrame):
    code: str
    message: str
    ref: str | None = None

    def to_json(self) -> Json:
        return {"type": "error", "code": self.code, "message": self.message, "ref": self.ref}


class FrameError(Exception):
    """A client frame refused; the error frame says why, `ref` names the client_id if any."""

    def __init__(self, code: str, message: str, ref: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.ref = code, message, ref

    def frame(self) -> ErrorFrame:
        return ErrorFrame(self.code, self.message, self.ref)


# The answer to a frame the store could not take just now: the client sends it again.
UNAVAILABLE = ErrorFrame("unavailable", "the service could not store that just now; send it again")


@dataclass(frozen=True)
class Pong(ServerFrame):
    def to_json(self) -> Json:
        return {"type": "pong"}


@dataclass(frozen=True)
class CustomerWelcome(ServerFrame):
    conversation_id: str
    resume_token: str
    owner: str
    agent_name: str | None
    last_seq: int

    def to_json(self) -> Json:
        return {"type": "welcome", **self.__dict__}


@dataclass(frozen=True)
class AgentWelcome(ServerFrame):
    agent: Json

    def to_json(self) -> Json:
        return {"type": "welcome", "agent": self.agent}


@dataclass(frozen=True)
class QueueStatus(ServerFrame):
    """A waiting customer's place in the queue."""

    position: int | None
    estimated_wait_seconds: int | None
    agents_online: int
    business_hours: bool

    def key(self) -> tuple[Any, ...]:
        """What the customer last saw; an unchanged status is not sent again."""
        return astuple(self)

    def to_json(self) -> Json:
        return {"type": "queue", **self.__dict__}


@dataclass(frozen=True)
class QueueItem:
    """One waiting conversation as the agents' queue shows it."""

    conversation_id: str
    priority: int
    tier: str | None
    reason: str | None
    trigger: Json
    team: str | None
    waiting_since: str
    summary: str | None
    position: int
    queue_class: str  # handoff.core.triage: the class the queue shows it under, and why
    why: str
    also: list[str]

    def to_json(self) -> Json:
        return dict(self.__dict__)


@dataclass(frozen=True)
class QueueList(ServerFrame):
    items: list[QueueItem]
    agents_online: int
    agents: list[Json]  # who is online: name, languages, available (the console's roster)

    def to_json(self) -> Json:
        return self._json

    @cached_property
    def _json(self) -> Json:
        # Built once however many agents it goes to.
        items = [item.to_json() for item in self.items]
        return {
            "type": "queue",
            "items": items,
            "agents_online": self.agents_online,
            "agents": self.agents,
        }


def history_frame(row: Json) -> Json:
    """A stored history item as the `message` or `event` frame the clients receive."""
    body = row["body"]
    if row["kind"] == "message":
        return {
            "type": "message",
            "seq": row["seq"],
            "sender": row["sender"],
            "author": body.get("author"),
            "text": body.get("text", ""),
            "buttons": body.get("buttons", []),
            "custom": body.get("custom"),
            "client_id": row.get("client_id"),
            "ts": iso(row["ts"]),
        }
    return {"type": "event", "seq": row["seq"], **body, "ts": iso(row["ts"])}


@dataclass(frozen=True)
class History(ServerFrame):
    """A stored history item (`message` or `event`); `row` is as the store returns it."""

    row: Json

    def to_json(self) -> Json:
        return history_frame(self.row)


@dataclass(frozen=True)
class TypingShown(ServerFrame):
    sender: str
    on: bool
    conversation_id: str | None = None  # named on the agent socket only

    def to_json(self) -> Json:
        frame: Json = {"type": "typing", "sender": self.sender, "on": self.on}
        return (
            frame
            if self.conversation_id is None
            else {
                "type": "typing",
                "conversation_id": self.conversation_id,
                "sender": self.sender,
                "on": self.on,
            }
        )


@dataclass(frozen=True)
class Acked(ServerFrame):
    client_id: str
    seq: int | None
    conversation_id: str | None = None  # named on the agent socket only

    def to_json(self) -> Json:
        if self.conversation_id is None:
            return {"type": "ack", "client_id": self.client_id, "seq": self.seq}
        return {
            "type": "ack",
            "conversation_id": self.conversation_id,
            "client_id": self.client_id,
            "seq": self.seq,
        }


@dataclass(frozen=True)
class Released(ServerFrame):
    conversation_id: str
    reason: str

    def to_json(self) -> Json:
        return {"type": "released", **self.__dict__}


@dataclass(frozen=True)
class Assigned(ServerFrame):
    """Everything an agent needs on taking a conversation."""

    conversation_id: str
    context: Json
    transcript: list[Json]
    notes: list[Json]
    earlier: list[Json]  # the verified customer's earlier handed-over conversations
    # The earlier conversation this one is a recontact of, with its messages; None if none.
    recontact: Json | None = None

    def to_json(self) -> Json:
        return {"type": "assigned", **self.__dict__}


@dataclass(frozen=True)
class NoteAdded(ServerFrame):
    conversation_id: str
    author: str | None
    text: str
    ts: float

    def to_json(self) -> Json:
        return {"type": "note", **self.__dict__, "ts": iso(self.ts)}


@dataclass(frozen=True)
class Revealed(ServerFrame):
    conversation_id: str
    placeholder: str
    value: str

    def to_json(self) -> Json:
        return {"type": "revealed", **self.__dict__}


@dataclass(frozen=True)
class Suggestions(ServerFrame):
    """Suggested replies to the customer message `seq`, for its agent: each with its id, text,
    source (assistant, shop, agents) and a label saying where it came from."""

    conversation_id: str
    seq: int
    items: list[dict[str, str]]

    def to_json(self) -> Json:
        return {"type": "suggestions", **self.__dict__}
