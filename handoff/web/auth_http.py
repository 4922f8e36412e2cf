"""HTTP endpoints that are not the conversation: agent login, health, metrics, and the demo
customer token."""

from __future__ import annotations

import asyncio
import math
import time

import structlog
from aiohttp import web

from contract.customer_token import is_customer_id, sign_customer_token
from handoff.frames import iso
from handoff.metrics import CONTENT_TYPE
from handoff.safejson import loads
from handoff.service import agents
from handoff.web.errors import http_error
from handoff.web.keys import HUB, LOGIN_LIMITS

# How long a demo customer token is valid.
TOKEN_TTL_SECONDS = 3600

log = structlog.get_logger("handoff.auth")


async def login(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    try:
        body = loads(await request.read())
        username, password = body["username"], body["password"]
        if not isinstance(username, str) or not isinstance(password, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return http_error("bad_request", 'send {"username": "...", "password": "..."}')
    limits, account, address = request.app[LOGIN_LIMITS], username.lower(), request.remote or ""
    wait = {
        "account": limits.accounts.retry_after(account),
        "address": limits.addresses.retry_after(address),
    }
    scope = max(wait, key=lambda k: wait[k])
    if wait[scope] > 0:
        hub.metrics.login_limited.labels(scope=scope).inc()
        log.warning("login.rate_limited", scope=scope, username=account, address=address)
        seconds = max(1, math.ceil(wait[scope]))
        return http_error(
            "too_many_attempts", f"try again in {seconds} s", {"Retry-After": str(seconds)}
        )
    session = await agents.log_in(hub, username, password)
    if session is None:
        limits.accounts.failed(account)
        limits.addresses.failed(address)
        return http_error("invalid_credentials")
    limits.accounts.succeeded(account)
    agent = session.agent
    return web.json_response(
        {
            "token": session.token,
            "expires_at": iso(session.expires_at),
            "agent": {
                "id": agent["id"],
                "name": agent["name"],
                "teams": agent["teams"],
                "capacity": agent["capacity"],
                "role": agent["role"],
            },
        }
    )


async def healthz(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    try:
        async with asyncio.timeout(2.0):
            await hub.store.ping()
    except Exception:
        return web.json_response({"status": "degraded", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


async def metrics(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    hub.update_gauges()
    return web.Response(
        body=hub.metrics.render(),
        headers={"Content-Type": CONTENT_TYPE, "X-Content-Type-Options": "nosniff"},
    )


async def demo_customer_token(request: web.Request) -> web.Response:
    """Mint a signed customer token for the demo store page (only with HANDOFF_DEMO=1)."""
    hub = request.app[HUB]
    if not hub.settings.demo:
        raise web.HTTPNotFound()
    if not hub.settings.customer_token_secret:
        return http_error("not_configured", "CUSTOMER_TOKEN_SECRET is not set")
    customer_id = request.query.get("customer_id", "")
    if not is_customer_id(customer_id):
        # Only ids the action server accepts: any other token could never verify there.
        return http_error("bad_request", "customer_id must look like C1001")
    now = int(time.time())
    expires = now + TOKEN_TTL_SECONDS
    token = sign_customer_token(
        customer_id, hub.settings.customer_token_secret, TOKEN_TTL_SECONDS, now
    )
    return web.json_response(
        {"customer_token": token, "customer_id": customer_id, "expires_at": expires}
    )
