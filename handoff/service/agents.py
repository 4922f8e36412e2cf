"""Agent use cases: sign in, come and go, and each thing an agent does with a conversation.

An agent who disconnects keeps their conversations for the grace period; reconnecting
within it resends each conversation in full (`assigned`). `reply` answers on the agent's
own connection; everything else goes out through the live registry.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from handoff.core import AGENT
from handoff.frames import (
    Acked,
    AgentMessage,
    AgentWelcome,
    Close,
    Draft,
    FrameError,
    NoteAdded,
    Revealed,
    ServerFrame,
    Transfer,
    TypingShown,
)
from handoff.service import labels
from handoff.service.auth import check_password, new_token, token_hash
from handoff.service.effects import send_assigned
from handoff.service.hub import Hub
from handoff.service.live import Sender, ToCustomer

log = structlog.get_logger("handoff.agent")

Reply = Callable[[ServerFrame], Awaitable[None]]

# What an agent learns about their own account when they sign in.
WELCOME_FIELDS = ("id", "name", "teams", "capacity", "languages", "role")
# A real hash to compare against when the username is unknown, so both cases take as long.
_DUMMY_HASH = "scrypt$16384$8$1$00$00"


@dataclass(frozen=True)
class Session:
    token: str  # given to the agent once; only its hash is stored
    expires_at: float
    agent: dict[str, Any]


async def log_in(hub: Hub, username: str, password: str) -> Session | None:
    """A new session for a right password of an enabled account, else None."""
    agent = await hub.store.get_agent(username)
    stored = agent["password_hash"] if agent and not agent["disabled"] else _DUMMY_HASH
    ok = await asyncio.to_thread(check_password, password, stored)
    if not ok or agent is None or agent["disabled"]:
        return None
    token, digest = new_token()
    expires = hub.clock() + hub.settings.agent_token_ttl_seconds
    await hub.store.save_token(digest, agent["id"], expires)
    return Session(token, expires, agent)


async def sign_in(hub: Hub, token: str) -> tuple[dict[str, Any], str] | None:
    """The agent a session token belongs to (put on the desk) and the token's hash, or None."""
    digest = token_hash(token)
    agent = await hub.store.agent_for_token(digest, hub.clock())
    if agent is None:
        hub.metrics.rejected.labels(code="bad_token").inc()
        return None
    hub.put_agent(agent)
    return agent, digest


def attach(hub: Hub, agent_id: str, ws: Sender) -> Sender | None:
    """Make `ws` the agent's socket; the one it replaces, if any."""
    old = hub.live.agents.pop(agent_id, None)
    hub.live.agents[agent_id] = ws
    return old


def welcome(agent: dict[str, Any]) -> AgentWelcome:
    return AgentWelcome({k: agent[k] for k in WELCOME_FIELDS})


async def session_end(hub: Hub, agent_id: str, digest: str) -> str | None:
    """None while the session is valid, else why it ended: "disabled" (the account is gone
    or disabled) or "expired" (the token expired or was revoked)."""
    if await hub.store.agent_for_token(digest, hub.clock()) is not None:
        return None
    row = await hub.store.get_agent(agent_id)
    return "disabled" if row is None or row["disabled"] else "expired"


async def connected(hub: Hub, agent_id: str) -> None:
    """Back on the desk: every conversation the agent kept is resent in full."""
    kept = sorted(hub.desk.agent(agent_id).conversations)
    await hub.command(lambda desk: desk.connect(agent_id, hub.clock()))
    for cid in kept:
        await send_assigned(hub, agent_id, cid)
    log.info("agent.connected", agent_id=agent_id, kept=len(kept))


async def disconnected(hub: Hub, agent_id: str, ws: Sender, *, disabled: bool) -> bool:
    """The socket closed; False if it was no longer the agent's (replaced)."""
    if hub.live.agents.get(agent_id) is not ws:
        return False
    del hub.live.agents[agent_id]
    # A disabled agent's conversations go back to the queue now, not after the grace.
    grace = 0.0 if disabled else hub.settings.agent_grace_seconds
    await hub.command(lambda desk: desk.disconnect(agent_id, hub.clock(), grace))
    if disabled:
        await hub.command(lambda desk: desk.tick(hub.clock()))
    return True


def own(hub: Hub, agent_id: str, cid: str) -> None:
    conv = hub.desk.conversations.get(cid)
    if conv is None or conv.owner != AGENT or conv.agent_id != agent_id:
        raise FrameError("not_allowed", "this conversation is not assigned to you")


async def set_available(hub: Hub, agent_id: str, available: bool) -> None:
    now = hub.clock()
    await hub.command(lambda desk: desk.set_available(agent_id, available, now))


async def claim(hub: Hub, agent_id: str, cid: str) -> None:
    now = hub.clock()
    if cid not in hub.desk.conversations:
        await hub.load(cid)
    await hub.command(lambda desk: desk.claim(agent_id, cid, now))


async def say(
    hub: Hub,
    agent_id: str,
    cid: str,
    text: str,
    client_id: str,
    reply: Reply,
    suggestion: dict[str, Any] | None = None,
) -> None:
    body: dict[str, Any] = {"author": hub.agent_name(agent_id), "text": text}
    if suggestion is not None:
        body["suggestion"] = suggestion  # kept with the message, for the supervisors' figures
    seq, _ = await hub.record(cid, "message", "agent", body, client_id)
    await reply(Acked(client_id, seq, cid))


async def send(hub: Hub, agent_id: str, frame: AgentMessage, reply: Reply) -> None:
    """The agent's message, marked if it began as a suggested reply."""
    cid = frame.conversation_id
    used = hub.assist.used(cid, frame.suggestion, frame.text)
    await say(hub, agent_id, cid, frame.text, frame.client_id, reply, used)


async def typing(hub: Hub, cid: str, on: bool) -> None:
    await hub.live.send(ToCustomer(cid), TypingShown("agent", on))


async def note(hub: Hub, agent_id: str, cid: str, text: str, client_id: str, reply: Reply) -> None:
    if await hub.store.add_note(cid, client_id, agent_id, text, hub.clock()):
        await reply(NoteAdded(cid, hub.agent_name(agent_id), text, hub.clock()))
    await reply(Acked(client_id, None, cid))


async def draft(hub: Hub, agent_id: str, frame: Draft, reply: Reply) -> None:
    cid = frame.conversation_id
    live = hub.live.find(cid)
    suggested = ((live.context if live is not None else None) or {}).get("draft") or {}
    client_id = frame.client_id or uuid.uuid4().hex
    if frame.decision == "approve" and suggested.get("reply"):
        await say(hub, agent_id, cid, str(suggested["reply"]), client_id, reply)
    elif frame.decision == "edit" and frame.text:
        await say(hub, agent_id, cid, frame.text, client_id, reply)
    elif frame.decision == "reject":
        await note(hub, agent_id, cid, "Rejected the assistant's draft.", client_id, reply)
    else:
        raise FrameError(
            "bad_field", "decision must be approve (with a draft), edit (with text) or reject"
        )


async def transfer(hub: Hub, agent_id: str, frame: Transfer) -> None:
    cid, to_agent, to_team, now = frame.conversation_id, frame.to_agent, frame.to_team, hub.clock()
    if bool(to_agent) == bool(to_team):
        raise FrameError("bad_field", "give exactly one of to_agent or to_team")
    if frame.note:
        await hub.store.add_note(cid, uuid.uuid4().hex, agent_id, frame.note, now)
    if to_agent:
        await hub.command(lambda desk: desk.transfer_to_agent(agent_id, cid, to_agent, now))
    elif to_team:
        await hub.command(lambda desk: desk.transfer_to_team(agent_id, cid, to_team, now))


async def hand_back(hub: Hub, agent_id: str, cid: str, outcome: str) -> None:
    now = hub.clock()
    hub.live.get(cid).outcome = {
        "agent_outcome": outcome,
        "agent_name": hub.agent_name(agent_id) or agent_id,
    }
    await hub.command(lambda desk: desk.hand_back(agent_id, cid, now))


async def close(hub: Hub, agent_id: str, frame: Close) -> None:
    now, cid = hub.clock(), frame.conversation_id
    label = labels.label_of(frame)
    if label is not None:
        # Stored first, so the label is there once the agent sees the conversation go.
        await labels.record(hub.store, cid, agent_id, label, now)
    await hub.command(lambda desk: desk.close(agent_id, cid, frame.resolution, now))


async def reveal(hub: Hub, agent_id: str, cid: str, placeholder: str) -> Revealed:
    """A redacted value, shown to the agent who owns the conversation; every reveal is stored."""
    value = await hub.store.reveal(cid, placeholder, agent_id, hub.clock())
    if value is None:
        raise FrameError("not_found", f"no redacted value {placeholder!r} in this conversation")
    log.info("redaction.revealed", conversation_id=cid, agent_id=agent_id, placeholder=placeholder)
    return Revealed(cid, placeholder, value)
