"""`POST /api/handoffs`: the action server's handoffs, checked at the door and queued.

A bearer token guards it; the body is bounded, parsed by `safejson` and validated by
`handoff.service.intake.validate`, whose message names the bad field.
"""

from __future__ import annotations

import hmac

import structlog
from aiohttp import web

from contract.handoff_context import ContextError
from handoff.safejson import BadJson, loads
from handoff.service.intake import accept, validate
from handoff.store import StoreError
from handoff.web.errors import http_error
from handoff.web.keys import HUB

log = structlog.get_logger("handoff.intake")

MAX_BODY = 1024 * 1024


async def handle(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    supplied = request.headers.get("Authorization", "")
    expected = f"Bearer {hub.settings.intake_token}"
    if not hmac.compare_digest(supplied.encode(), expected.encode()):
        return http_error("unauthorized", "wrong or missing bearer token")
    if request.content_length is not None and request.content_length > MAX_BODY:
        return http_error("too_large", "body over 1 MiB")
    try:
        body = validate(loads(await request.read()))
    except (ValueError, UnicodeDecodeError) as exc:
        message = str(exc) if isinstance(exc, ContextError | BadJson) else "body is not valid JSON"
        return http_error("bad_request", message)
    try:
        status, response = await accept(hub, body)
    except StoreError:
        log.exception("handoff.store_failed", handoff_id=body["handoff_id"])
        return http_error("unavailable", "could not store the handoff; retry")
    return web.json_response(response, status=status)
