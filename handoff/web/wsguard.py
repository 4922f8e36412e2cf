"""Guard the sockets: the Origin check before the upgrade, then frames within the limits.

Binary frames close with 1003, floods with 4029; frames over the size limit are closed
with 1009 by aiohttp itself (`max_msg_size`). Only text frames reach the handlers.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from handoff.settings import Settings
from handoff.web.errors import close, http_error

# Seconds to wait for a client to answer our close frame before dropping it.
CLOSE_WAIT = 2.0


async def upgrade(
    request: web.Request, settings: Settings, *, compress: bool, heartbeat: float
) -> web.StreamResponse:
    """The prepared websocket, or a 403 answer when the Host or the Origin is not allowed."""
    if not origin_allowed(request, settings):
        return http_error("forbidden_origin")
    # aiohttp refuses a frame of exactly `max_msg_size` bytes; the protocol allows it.
    ws = web.WebSocketResponse(
        max_msg_size=settings.max_frame_bytes + 1,
        heartbeat=heartbeat,
        timeout=CLOSE_WAIT,
        compress=compress,
    )
    await ws.prepare(request)
    return ws


class TokenBucket:
    """Allows `burst` frames at once and `rate` per second on average."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.stamp = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Guard:
    def __init__(self, ws: web.WebSocketResponse, rate: float, burst: int) -> None:
        self.ws = ws
        self.bucket = TokenBucket(rate, burst)

    async def next(self) -> str | None:
        """The next text frame, or None once the connection is closed (by either side)."""
        msg = await self.ws.receive()
        if msg.type == WSMsgType.TEXT:
            if not self.bucket.take():
                await close(self.ws, "flood")
                return None
            return str(msg.data)
        if msg.type == WSMsgType.BINARY:
            await close(self.ws, "binary")
        return None


def origin_allowed(request: web.Request, settings: Settings) -> bool:
    """Browsers always send Origin; it must be ours or listed. Non-browser clients send none.

    "Ours" is only trusted for a Host the service is known by: a page on a name the attacker
    controls, resolved to this service (DNS rebinding), sends a matching Origin and Host.
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    origin = origin.rstrip("/")
    if origin in settings.public_origins or origin in settings.allowed_origins:
        return True
    return host_known(request.host, settings) and origin == f"{request.scheme}://{request.host}"


def host_known(host: str, settings: Settings) -> bool:
    """The Host header names this service: one of its public origins, or (none configured)
    a loopback name or its listening address."""
    host = host.lower()
    if settings.public_origins:
        return host in {urlsplit(o).netloc.lower() for o in settings.public_origins}
    name = urlsplit(f"//{host}").hostname or ""
    if name in ("localhost", settings.host.lower().strip("[]")):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
