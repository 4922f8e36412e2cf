"""The one table from errors to what the client sees: WebSocket close codes, error frames and
HTTP statuses (docs/protocol.md lists the same codes for client authors).

    FrameError (handoff.frames)  the frame is refused: its own error frame
    DeskError  (handoff.core)    the desk refuses the command: `not_allowed`
    StoreError (handoff.store)   the database did not take it: `unavailable`, send it again
"""

from __future__ import annotations

from typing import Any

import structlog
from aiohttp import web

from handoff.core import DeskError
from handoff.frames import UNAVAILABLE, ErrorFrame, FrameError
from handoff.service.live import Sender
from handoff.store import StoreError

log = structlog.get_logger("handoff.web")

# Why a socket is closed → (close code, reason sent with it).
CLOSES: dict[str, tuple[int, bytes]] = {
    "shutting_down": (1001, b"server shutting down"),
    "binary": (1003, b"binary frames are not accepted"),
    "bad_hello": (4001, b"first frame must be a valid hello"),
    "bad_auth": (4001, b"first frame must be auth"),
    "wrong_conversation": (4003, b"unknown conversation or wrong resume_token"),
    "no_hello": (4008, b"no hello in time"),
    "no_auth": (4008, b"no auth in time"),
    "flood": (4029, b"too many frames per second"),
    "bad_token": (4401, b"wrong or expired token"),
    "disabled": (4403, b"agent disabled"),
    "opened_elsewhere": (4409, b"this conversation was opened elsewhere"),
    "signed_in_elsewhere": (4409, b"signed in elsewhere"),
    "expired": (4440, b"session expired; sign in again"),
}

# An HTTP error answer's `error` → its status.
STATUSES: dict[str, int] = {
    "bad_request": 400,
    "unauthorized": 401,
    "invalid_credentials": 401,
    "forbidden": 403,
    "forbidden_origin": 403,
    "too_large": 413,
    "too_many_attempts": 429,
    "internal": 500,
    "unavailable": 503,
    "not_configured": 503,
}

# The exceptions a frame handler may raise that answer the frame and keep the connection.
REFUSALS = (FrameError, DeskError, StoreError)


def close_code(why: str) -> int:
    return CLOSES[why][0]


async def close(ws: Sender, why: str) -> None:
    code, reason = CLOSES[why]
    await ws.close(code=code, message=reason)


def refusal(exc: Exception) -> ErrorFrame:
    """The error frame answering a refused frame (called while handling `exc`)."""
    if isinstance(exc, FrameError):
        return exc.frame()
    if isinstance(exc, DeskError):
        return ErrorFrame("not_allowed", str(exc))
    if isinstance(exc, StoreError):
        # The database hiccuped: this frame failed, the connection and the service go on.
        log.exception("frame.store_failed")
        return UNAVAILABLE
    raise TypeError(f"not a refusal: {exc!r}")


def http_error(
    error: str, message: str | None = None, headers: dict[str, str] | None = None
) -> web.Response:
    body: dict[str, Any] = {"error": error}
    if message is not None:
        body["message"] = message
    return web.json_response(body, status=STATUSES[error], headers=headers)
