"""Read websocket frames within the protocol's limits.

Binary frames close with 1003, floods with 4029; frames over the size limit are closed
with 1009 by aiohttp itself (`max_msg_size`). Only text frames reach the handlers.
"""

from __future__ import annotations

import time

from aiohttp import WSMsgType, web

CLOSE_BINARY, CLOSE_FLOOD = 1003, 4029

# Seconds to wait for a client to answer our close frame before dropping it.
CLOSE_WAIT = 2.0

# The answer to a frame the store could not take just now: the client sends it again.
UNAVAILABLE = {
    "type": "error",
    "code": "unavailable",
    "message": "the service could not store that just now; send it again",
    "ref": None,
}


async def upgrade(
    request: web.Request, allowed_origins: tuple[str, ...], max_frame_bytes: int, *, compress: bool
) -> web.StreamResponse:
    """The prepared websocket, or a 403 answer when the Origin is not allowed."""
    if not origin_allowed(request, allowed_origins):
        return web.json_response({"error": "forbidden_origin"}, status=403)
    # aiohttp refuses a frame of exactly `max_msg_size` bytes; the protocol allows it.
    ws = web.WebSocketResponse(
        max_msg_size=max_frame_bytes + 1, heartbeat=30, timeout=CLOSE_WAIT, compress=compress
    )
    await ws.prepare(request)
    return ws


class TokenBucket:
    """Allows `burst` frames at once and `rate` per second on average."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic) -> None:
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
                await self.ws.close(code=CLOSE_FLOOD, message=b"too many frames per second")
                return None
            return str(msg.data)
        if msg.type == WSMsgType.BINARY:
            await self.ws.close(code=CLOSE_BINARY, message=b"binary frames are not accepted")
        return None


def origin_allowed(request: web.Request, allowed: tuple[str, ...]) -> bool:
    """Browsers always send Origin; it must be ours or listed. Non-browser clients send none."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.host}"
    return origin.rstrip("/") in (own, *allowed)
