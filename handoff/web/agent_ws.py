"""The agent websocket, `GET /ws/agent`: token auth, then queue work and conversations.

An agent who disconnects keeps their conversations for the grace period; reconnecting
within it resends each conversation in full (`assigned`).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import structlog
from aiohttp import web

from handoff.service.auth import token_hash
from handoff.core import AGENT, DeskError
from handoff.service.effects import send_assigned
from handoff.frames import AGENT as SPECS
from handoff.frames import FrameError, parse
from handoff.store import StoreError
from handoff.web.wsguard import UNAVAILABLE, Guard, upgrade

# What an agent learns about their own account when they sign in.
WELCOME_FIELDS = ("id", "name", "teams", "capacity", "languages")
log = structlog.get_logger("handoff.agent")

CLOSE_BAD_AUTH, CLOSE_TIMEOUT, CLOSE_BAD_TOKEN, CLOSE_REPLACED = 4001, 4008, 4401, 4409
# The session ended while the socket was open: the account was disabled, or the token
# expired or was revoked (the console asks to sign in again, keeping the draft).
CLOSE_DISABLED, CLOSE_EXPIRED = 4403, 4440
# How often an open socket rechecks its token and account (disable-agent runs elsewhere).
SESSION_CHECK_SECONDS = 1.0


async def handle(request: web.Request) -> web.StreamResponse:
    from handoff.app import HUB

    hub = request.app[HUB]
    # Agent sockets keep permessage-deflate: they are few, and a transcript is large.
    ws = await upgrade(
        request, hub.settings, compress=True, heartbeat=hub.settings.agent_heartbeat_seconds
    )
    if not isinstance(ws, web.WebSocketResponse):
        return ws
    hub.metrics.connections["agent"] += 1
    agent_id, ended = None, None
    try:
        signed_in = await _authenticate(hub, ws)
        if signed_in is not None:
            agent_id, digest = signed_in
            ended = await _serve(hub, ws, agent_id, digest)
    finally:
        hub.metrics.connections["agent"] -= 1
        if agent_id is not None and hub.agent_sockets.get(agent_id) is ws:
            del hub.agent_sockets[agent_id]
            # A disabled agent's conversations go back to the queue now, not after the grace.
            grace = 0.0 if ended == CLOSE_DISABLED else hub.settings.agent_grace_seconds
            await hub.command(lambda desk: desk.disconnect(agent_id, hub.clock(), grace))
            if ended == CLOSE_DISABLED:
                await hub.command(lambda desk: desk.tick(hub.clock()))
            log.info("agent.disconnected", agent_id=agent_id, ended=ended)
    return ws


async def _authenticate(hub: Any, ws: web.WebSocketResponse) -> tuple[str, str] | None:
    guard = Guard(ws, hub.settings.rate_limit_per_second, hub.settings.rate_limit_burst)
    try:
        text = await asyncio.wait_for(guard.next(), hub.settings.hello_timeout_seconds)
    except TimeoutError:
        await ws.close(code=CLOSE_TIMEOUT, message=b"no auth in time")
        return None
    if text is None:
        return None
    try:
        frame = parse(text, {"auth": SPECS["auth"]})
    except FrameError as exc:
        await ws.send_json(exc.frame())
        await ws.close(code=CLOSE_BAD_AUTH, message=b"first frame must be auth")
        return None
    digest = token_hash(frame["token"])
    agent = await hub.store.agent_for_token(digest, hub.clock())
    if agent is None:
        hub.metrics.rejected["bad_token"] += 1
        await ws.close(code=CLOSE_BAD_TOKEN, message=b"wrong or expired token")
        return None
    hub.desk.add_agent(
        agent["id"],
        agent["name"],
        frozenset(agent["teams"]),
        agent["capacity"],
        frozenset(agent["languages"]),
    )
    old = hub.agent_sockets.pop(agent["id"], None)
    if old is not None and not old.closed:
        await old.close(code=CLOSE_REPLACED, message=b"signed in elsewhere")
    hub.agent_sockets[agent["id"]] = ws
    if hub.closing:
        await ws.close(code=1001, message=b"server shutting down")
        return None
    await ws.send_json(
        {
            "type": "welcome",
            "agent": {k: agent[k] for k in WELCOME_FIELDS},
        }
    )
    return str(agent["id"]), digest


async def session_ended(hub: Any, agent_id: str, digest: str) -> int | None:
    """None while the session is valid, else the close code saying why it ended."""
    if await hub.store.agent_for_token(digest, hub.clock()) is not None:
        return None
    row = await hub.store.get_agent(agent_id)
    return CLOSE_DISABLED if row is None or row["disabled"] else CLOSE_EXPIRED


async def _end(ws: web.WebSocketResponse, code: int) -> None:
    reason = b"agent disabled" if code == CLOSE_DISABLED else b"session expired; sign in again"
    await ws.close(code=code, message=reason)


async def _watch(hub: Any, ws: web.WebSocketResponse, agent_id: str, digest: str) -> int:
    """Close the socket as soon as its session ends, even if the agent sends nothing."""
    while True:
        await asyncio.sleep(SESSION_CHECK_SECONDS)
        try:
            code = await session_ended(hub, agent_id, digest)
        except StoreError:
            continue  # the database hiccuped: check again next time
        if code is not None:
            log.info("agent.session_ended", agent_id=agent_id, code=code)
            await _end(ws, code)
            return code


async def _serve(hub: Any, ws: web.WebSocketResponse, agent_id: str, digest: str) -> int | None:
    """Serve frames until the socket closes; the session-end close code, if that was why."""
    watcher = asyncio.create_task(_watch(hub, ws, agent_id, digest))
    try:
        return await _frames(hub, ws, agent_id, digest, watcher)
    finally:
        watcher.cancel()


async def _frames(
    hub: Any, ws: web.WebSocketResponse, agent_id: str, digest: str, watcher: asyncio.Task[int]
) -> int | None:
    structlog.contextvars.bind_contextvars(agent_id=agent_id)
    kept = sorted(hub.desk.agent(agent_id).conversations)
    await hub.command(lambda desk: desk.connect(agent_id, hub.clock()))
    for cid in kept:
        await send_assigned(hub, agent_id, cid)
    log.info("agent.connected", agent_id=agent_id, kept=len(kept))
    guard = Guard(ws, hub.settings.rate_limit_per_second, hub.settings.rate_limit_burst)
    while (text := await guard.next()) is not None:
        try:
            if (code := await session_ended(hub, agent_id, digest)) is not None:
                await _end(ws, code)
                return code
            await dispatch(hub, agent_id, ws, parse(text, SPECS))
        except FrameError as exc:
            hub.metrics.rejected[exc.code] += 1
            await ws.send_json(exc.frame())
        except DeskError as exc:
            hub.metrics.rejected[exc.code] += 1
            await ws.send_json(
                {"type": "error", "code": "not_allowed", "message": str(exc), "ref": None}
            )
        except StoreError:
            # The database hiccuped: this frame failed, the connection and the service go on.
            log.exception("frame.store_failed")
            hub.metrics.rejected["unavailable"] += 1
            await ws.send_json(UNAVAILABLE)
    return watcher.result() if watcher.done() and not watcher.cancelled() else None


def _own(hub: Any, agent_id: str, cid: str) -> None:
    conv = hub.desk.conversations.get(cid)
    if conv is None or conv.owner != AGENT or conv.agent_id != agent_id:
        raise FrameError("not_allowed", "this conversation is not assigned to you")


async def dispatch(
    hub: Any, agent_id: str, ws: web.WebSocketResponse, frame: dict[str, Any]
) -> None:
    kind, now = frame["type"], hub.clock()
    cid: str = frame.get("conversation_id") or ""  # every frame naming one has it checked
    if kind == "ping":
        await ws.send_json({"type": "pong"})
    elif kind == "auth":
        raise FrameError("not_allowed", "already authenticated")
    elif kind == "status":
        await hub.command(lambda desk: desk.set_available(agent_id, frame["available"], now))
    elif kind == "claim":
        if cid not in hub.desk.conversations:
            await hub.load(cid)
        await hub.command(lambda desk: desk.claim(agent_id, cid, now))
    elif kind == "message":
        _own(hub, agent_id, cid)
        await _say(hub, agent_id, ws, cid, frame["text"], frame["client_id"])
    elif kind == "typing":
        _own(hub, agent_id, cid)
        await hub.to_customer(cid, {"type": "typing", "sender": "agent", "on": frame["on"]})
    elif kind == "note":
        _own(hub, agent_id, cid)
        await _note(hub, agent_id, ws, cid, frame["text"], frame["client_id"])
    elif kind == "draft":
        _own(hub, agent_id, cid)
        await _draft(hub, agent_id, ws, cid, frame)
    elif kind == "transfer":
        _own(hub, agent_id, cid)
        await _transfer(hub, agent_id, ws, cid, frame)
    elif kind == "handback":
        _own(hub, agent_id, cid)
        hub.outcomes[cid] = {
            "agent_outcome": frame["outcome"],
            "agent_name": hub.agent_name(agent_id),
        }
        await hub.command(lambda desk: desk.hand_back(agent_id, cid, now))
    elif kind == "close":
        _own(hub, agent_id, cid)
        await hub.command(lambda desk: desk.close(agent_id, cid, frame["resolution"], now))
    elif kind == "reveal":
        _own(hub, agent_id, cid)
        value = await hub.store.reveal(cid, frame["placeholder"], agent_id, now)
        if value is None:
            raise FrameError(
                "not_found", f"no redacted value {frame['placeholder']!r} in this conversation"
            )
        log.info(
            "redaction.revealed",
            conversation_id=cid,
            agent_id=agent_id,
            placeholder=frame["placeholder"],
        )
        await ws.send_json(
            {
                "type": "revealed",
                "conversation_id": cid,
                "placeholder": frame["placeholder"],
                "value": value,
            }
        )


async def _say(
    hub: Any, agent_id: str, ws: web.WebSocketResponse, cid: str, text: str, client_id: str
) -> None:
    seq, _ = await hub.record(
        cid, "message", "agent", {"author": hub.agent_name(agent_id), "text": text}, client_id
    )
    await ws.send_json({"type": "ack", "conversation_id": cid, "client_id": client_id, "seq": seq})


async def _note(
    hub: Any, agent_id: str, ws: web.WebSocketResponse, cid: str, text: str, client_id: str
) -> None:
    if await hub.store.add_note(cid, client_id, agent_id, text, hub.clock()):
        from handoff.frames import iso

        await ws.send_json(
            {
                "type": "note",
                "conversation_id": cid,
                "author": hub.agent_name(agent_id),
                "text": text,
                "ts": iso(hub.clock()),
            }
        )
    await ws.send_json({"type": "ack", "conversation_id": cid, "client_id": client_id, "seq": None})


async def _draft(
    hub: Any, agent_id: str, ws: web.WebSocketResponse, cid: str, frame: dict[str, Any]
) -> None:
    draft = (hub.contexts.get(cid) or {}).get("draft") or {}
    client_id = frame.get("client_id") or uuid.uuid4().hex
    decision = frame["decision"]
    if decision == "approve" and draft.get("reply"):
        await _say(hub, agent_id, ws, cid, str(draft["reply"]), client_id)
    elif decision == "edit" and frame.get("text"):
        await _say(hub, agent_id, ws, cid, frame["text"], client_id)
    elif decision == "reject":
        await _note(hub, agent_id, ws, cid, "Rejected the assistant's draft.", client_id)
    else:
        raise FrameError(
            "bad_field", "decision must be approve (with a draft), edit (with text) or reject"
        )


async def _transfer(
    hub: Any, agent_id: str, ws: web.WebSocketResponse, cid: str, frame: dict[str, Any]
) -> None:
    to_agent, to_team, now = frame.get("to_agent"), frame.get("to_team"), hub.clock()
    if bool(to_agent) == bool(to_team):
        raise FrameError("bad_field", "give exactly one of to_agent or to_team")
    if frame.get("note"):
        await hub.store.add_note(cid, uuid.uuid4().hex, agent_id, frame["note"], now)
    if to_agent:
        await hub.command(lambda desk: desk.transfer_to_agent(agent_id, cid, to_agent, now))
    else:
        await hub.command(lambda desk: desk.transfer_to_team(agent_id, cid, to_team, now))
