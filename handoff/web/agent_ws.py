"""The agent websocket, `GET /ws/agent`: token auth, then queue work and conversations.

Frames are parsed here and handed to `handoff.service.agents`; the socket closes as soon as
the agent's session ends (account disabled, token expired or revoked).
"""

from __future__ import annotations

import asyncio

import structlog
from aiohttp import web

from handoff.frames import (
    AgentMessage,
    AgentTyping,
    Auth,
    Claim,
    ClientFrame,
    Close,
    Draft,
    FrameError,
    Handback,
    Note,
    Ping,
    Pong,
    Reveal,
    ServerFrame,
    Status,
    Transfer,
    parse_agent,
)
from handoff.service import agents
from handoff.service.hub import Hub
from handoff.store import StoreError
from handoff.web.errors import REFUSALS, close, close_code, refusal
from handoff.web.keys import HUB
from handoff.web.wsguard import Guard, upgrade

log = structlog.get_logger("handoff.agent")

# The session ended while the socket was open: the account was disabled, or the token
# expired or was revoked (the console asks to sign in again, keeping the draft).
CLOSE_DISABLED, CLOSE_EXPIRED = close_code("disabled"), close_code("expired")
# The frames that act on a conversation the agent must own.
OWNED = (AgentMessage, AgentTyping, Note, Draft, Transfer, Handback, Close, Reveal)
# How often an open socket rechecks its token and account (disable-agent runs elsewhere).
SESSION_CHECK_SECONDS = 1.0


async def handle(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB]
    # Agent sockets keep permessage-deflate: they are few, and a transcript is large.
    ws = await upgrade(
        request, hub.settings, compress=True, heartbeat=hub.settings.agent_heartbeat_seconds
    )
    if not isinstance(ws, web.WebSocketResponse):
        return ws
    hub.metrics.connections.labels(role="agent").inc()
    agent_id, ended = None, None
    try:
        signed_in = await _authenticate(hub, ws)
        if signed_in is not None:
            agent_id, digest = signed_in
            ended = await _serve(hub, ws, agent_id, digest)
    finally:
        hub.metrics.connections.labels(role="agent").dec()
        if agent_id is not None and await agents.disconnected(
            hub, agent_id, ws, disabled=ended == "disabled"
        ):
            log.info("agent.disconnected", agent_id=agent_id, ended=ended)
    return ws


async def _authenticate(hub: Hub, ws: web.WebSocketResponse) -> tuple[str, str] | None:
    guard = Guard(ws, hub.settings.rate_limit_per_second, hub.settings.rate_limit_burst)
    try:
        async with asyncio.timeout(hub.settings.hello_timeout_seconds):
            text = await guard.next()
    except TimeoutError:
        await close(ws, "no_auth")
        return None
    if text is None:
        return None
    try:
        frame = parse_agent(text, only=Auth)
    except FrameError as exc:
        await ws.send_json(exc.frame().to_json())
        await close(ws, "bad_auth")
        return None
    signed_in = await agents.sign_in(hub, frame.token)
    if signed_in is None:
        await close(ws, "bad_token")
        return None
    agent, digest = signed_in
    old = agents.attach(hub, agent["id"], ws)
    if old is not None and not old.closed:
        await close(old, "signed_in_elsewhere")
    if hub.live.closing:
        await close(ws, "shutting_down")
        return None
    await ws.send_json(agents.welcome(agent).to_json())
    return str(agent["id"]), digest


async def _watch(hub: Hub, ws: web.WebSocketResponse, agent_id: str, digest: str) -> str:
    """Close the socket as soon as its session ends, even if the agent sends nothing."""
    while True:
        await asyncio.sleep(SESSION_CHECK_SECONDS)
        try:
            why = await agents.session_end(hub, agent_id, digest)
        except StoreError:
            continue  # the database hiccuped: check again next time
        if why is not None:
            log.info("agent.session_ended", agent_id=agent_id, code=close_code(why))
            await close(ws, why)
            return why


async def _serve(hub: Hub, ws: web.WebSocketResponse, agent_id: str, digest: str) -> str | None:
    """Serve frames until the socket closes; why the session ended, if that was why."""
    watcher = asyncio.create_task(_watch(hub, ws, agent_id, digest))
    try:
        return await _frames(hub, ws, agent_id, digest, watcher)
    finally:
        watcher.cancel()


async def _frames(
    hub: Hub, ws: web.WebSocketResponse, agent_id: str, digest: str, watcher: asyncio.Task[str]
) -> str | None:
    structlog.contextvars.bind_contextvars(agent_id=agent_id)
    await agents.connected(hub, agent_id)

    async def reply(frame: ServerFrame) -> None:
        await ws.send_json(frame.to_json())

    guard = Guard(ws, hub.settings.rate_limit_per_second, hub.settings.rate_limit_burst)
    while (text := await guard.next()) is not None:
        try:
            if (why := await agents.session_end(hub, agent_id, digest)) is not None:
                await close(ws, why)
                return why
            await dispatch(hub, agent_id, reply, parse_agent(text))
        except REFUSALS as exc:
            error = refusal(exc)
            hub.metrics.rejected.labels(code=error.code).inc()
            await reply(error)
    return watcher.result() if watcher.done() and not watcher.cancelled() else None


async def dispatch(hub: Hub, agent_id: str, reply: agents.Reply, frame: ClientFrame) -> None:
    """One frame from a signed-in agent."""
    if isinstance(frame, OWNED):
        agents.own(hub, agent_id, frame.conversation_id)
    match frame:
        case Ping():
            await reply(Pong())
        case Auth():
            raise FrameError("not_allowed", "already authenticated")
        case Status(available=available):
            await agents.set_available(hub, agent_id, available)
        case Claim(conversation_id=cid):
            await agents.claim(hub, agent_id, cid)
        case AgentMessage():
            await agents.send(hub, agent_id, frame, reply)
        case AgentTyping(conversation_id=cid, on=on):
            await agents.typing(hub, cid, on)
        case Note(conversation_id=cid, text=text, client_id=client_id):
            await agents.note(hub, agent_id, cid, text, client_id, reply)
        case Draft():
            await agents.draft(hub, agent_id, frame, reply)
        case Transfer():
            await agents.transfer(hub, agent_id, frame)
        case Handback(conversation_id=cid, outcome=outcome):
            await agents.hand_back(hub, agent_id, cid, outcome)
        case Close():
            await agents.close(hub, agent_id, frame)
        case Reveal(conversation_id=cid, placeholder=placeholder):
            await reply(await agents.reveal(hub, agent_id, cid, placeholder))
