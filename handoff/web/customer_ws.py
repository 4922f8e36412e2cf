"""The customer websocket, `GET /ws/customer`: hello/resume, then one frame at a time.

Frames are parsed here and handed to `handoff.service.customers`; every history item is
stored before it is acked or shown, and a resuming client gets everything after its
`last_seq`, in order.
"""

from __future__ import annotations

import asyncio

import structlog
from aiohttp import web

from handoff.frames import (
    Ack,
    Button,
    ClientFrame,
    Contact,
    ContinueWithBot,
    Csat,
    FrameError,
    Hello,
    History,
    Message,
    Ping,
    Pong,
    RequestAgent,
    ServerFrame,
    Typing,
    parse_customer,
)
from handoff.service import csat, customers
from handoff.service.hub import Hub
from handoff.web.errors import REFUSALS, close, refusal
from handoff.web.keys import HUB
from handoff.web.wsguard import Guard, upgrade

log = structlog.get_logger("handoff.customer")

# Customers resume by themselves; a dead customer socket costs only memory until then.
CUSTOMER_HEARTBEAT = 30.0


async def handle(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB]
    # No permessage-deflate: each compressing socket keeps its own zlib state (~100 KiB of
    # the service's memory per idle customer in the benchmark) and deflates every small frame.
    ws = await upgrade(request, hub.settings, compress=False, heartbeat=CUSTOMER_HEARTBEAT)
    if not isinstance(ws, web.WebSocketResponse):
        return ws
    hub.metrics.connections.labels(role="customer").inc()
    cid = None
    try:
        cid = await _session(hub, ws)
    finally:
        hub.metrics.connections.labels(role="customer").dec()
        if cid is not None:
            customers.detach(hub, cid, ws)
    return ws


async def _session(hub: Hub, ws: web.WebSocketResponse) -> str | None:
    guard = Guard(ws, hub.settings.rate_limit_per_second, hub.settings.rate_limit_burst)
    try:
        async with asyncio.timeout(hub.settings.hello_timeout_seconds):
            text = await guard.next()
    except TimeoutError:
        await close(ws, "no_hello")
        return None
    if text is None:
        return None
    try:
        hello = parse_customer(text, only=Hello)
    except FrameError as exc:
        hub.metrics.rejected.labels(code=exc.code).inc()
        await ws.send_json(exc.frame().to_json())
        await close(ws, "bad_hello")
        return None
    cid = await _open(hub, ws, hello)
    if cid is None:
        return None
    structlog.contextvars.bind_contextvars(conversation_id=cid)

    async def reply(frame: ServerFrame) -> None:
        await ws.send_json(frame.to_json())

    while (text := await guard.next()) is not None:
        try:
            await dispatch(hub, cid, reply, parse_customer(text))
        except REFUSALS as exc:
            error = refusal(exc)
            hub.metrics.rejected.labels(code=error.code).inc()
            await reply(error)
    return cid


async def _open(hub: Hub, ws: web.WebSocketResponse, hello: Hello) -> str | None:
    opened = await customers.open_conversation(hub, hello)
    if opened is None:
        await close(ws, "wrong_conversation")
        return None
    cid = opened.conversation_id
    async with customers.opening(hub, cid):
        old = customers.attach(hub, cid, None)
        if old is not None and not old.closed:
            await close(old, "opened_elsewhere")
        welcome = customers.welcome(hub, opened)
        await ws.send_json(welcome.to_json())
        # Replay until caught up, then register: live frames then follow in seq order.
        async for row in customers.history_after(hub, cid, hello.last_seq or 0):
            await ws.send_json(History(row).to_json())
        customers.attach(hub, cid, ws)
    if hub.live.closing:
        await close(ws, "shutting_down")
        return None

    async def reply(frame: ServerFrame) -> None:
        await ws.send_json(frame.to_json())

    log.info(
        "customer.connected", conversation_id=cid, new=opened.new, resumed_after=hello.last_seq or 0
    )
    await customers.connected(hub, opened, welcome.owner, reply)
    return cid


async def dispatch(hub: Hub, cid: str, reply: customers.Reply, frame: ClientFrame) -> None:
    match frame:
        case Ping():
            await reply(Pong())
        case Ack():
            return  # delivery is tracked by the client's last_seq on resume; nothing to store
        case Message():
            await customers.message(hub, cid, frame, reply)
        case Button():
            await customers.button(hub, cid, frame, reply)
        case Typing(on=on):
            await customers.typing(hub, cid, on)
        case RequestAgent():
            await customers.request_agent(hub, cid, reply)
        case ContinueWithBot():
            await customers.continue_with_bot(hub, cid)
        case Contact():
            await customers.contact(hub, cid, frame, reply)
        case Csat():
            await csat.rate(hub, cid, frame)
        case Hello():
            raise FrameError("not_allowed", "hello was already received on this connection")
