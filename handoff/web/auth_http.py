"""HTTP endpoints that are not the conversation: agent login, health, metrics, demo customer"
" token."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

import structlog
from aiohttp import web

from handoff.service.auth import check_password, new_token, sign_customer
from handoff.web.login_limits import LoginLimiter
from handoff.safejson import loads

# Five wrong passwords per account are free, twenty per client address (a shared office
# address); then 1, 2, 4 … seconds up to 15 minutes.
ACCOUNT_FREE, ADDRESS_FREE, FIRST_DELAY, LONGEST_DELAY = 5, 20, 1.0, 900.0


class LoginLimits:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.accounts = LoginLimiter(ACCOUNT_FREE, FIRST_DELAY, LONGEST_DELAY, clock)
        self.addresses = LoginLimiter(ADDRESS_FREE, FIRST_DELAY, LONGEST_DELAY, clock)


LOGIN_LIMITS = web.AppKey("login_limits", LoginLimits)

log = structlog.get_logger("handoff.auth")

# A real hash to compare against when the username is unknown, so both cases take as long.
_DUMMY_HASH = "scrypt$16384$8$1$00$00"


async def login(request: web.Request) -> web.Response:
    from handoff.app import HUB

    hub = request.app[HUB]
    try:
        body = loads(await request.read())
        username, password = body["username"], body["password"]
        if not isinstance(username, str) or not isinstance(password, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return web.json_response(
            {"error": "bad_request", "message": 'send {"username": "...", "password": "..."}'},
            status=400,
        )
    limits, account, address = request.app[LOGIN_LIMITS], username.lower(), request.remote or ""
    wait = {
        "account": limits.accounts.retry_after(account),
        "address": limits.addresses.retry_after(address),
    }
    scope = max(wait, key=lambda k: wait[k])
    if wait[scope] > 0:
        hub.metrics.login_limited[scope] += 1
        log.warning("login.rate_limited", scope=scope, username=account, address=address)
        seconds = max(1, math.ceil(wait[scope]))
        return web.json_response(
            {"error": "too_many_attempts", "message": f"try again in {seconds} s"},
            status=429,
            headers={"Retry-After": str(seconds)},
        )
    agent = await hub.store.get_agent(username)
    stored = agent["password_hash"] if agent and not agent["disabled"] else _DUMMY_HASH
    ok = await asyncio.to_thread(check_password, password, stored)
    if not ok or agent is None or agent["disabled"]:
        limits.accounts.failed(account)
        limits.addresses.failed(address)
        return web.json_response({"error": "invalid_credentials"}, status=401)
    limits.accounts.succeeded(account)
    token, digest = new_token()
    expires = hub.clock() + hub.settings.agent_token_ttl_seconds
    await hub.store.save_token(digest, agent["id"], expires)
    from handoff.frames import iso

    return web.json_response(
        {
            "token": token,
            "expires_at": iso(expires),
            "agent": {
                "id": agent["id"],
                "name": agent["name"],
                "teams": agent["teams"],
                "capacity": agent["capacity"],
            },
        }
    )


async def healthz(request: web.Request) -> web.Response:
    from handoff.app import HUB

    hub = request.app[HUB]
    try:
        await asyncio.wait_for(hub.store.ping(), 2.0)
    except Exception:
        return web.json_response({"status": "degraded", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


async def metrics(request: web.Request) -> web.Response:
    from handoff.app import HUB

    hub = request.app[HUB]
    hub.update_gauges()
    return web.Response(
        text=hub.metrics.render(),
        content_type="text/plain",
        charset="utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


async def demo_customer_token(request: web.Request) -> web.Response:
    """Mint a signed customer token for the demo store page (only with HANDOFF_DEMO=1)."""
    from handoff.app import HUB

    hub = request.app[HUB]
    if not hub.settings.demo:
        raise web.HTTPNotFound()
    if not hub.settings.customer_token_secret:
        return web.json_response(
            {"error": "not_configured", "message": "CUSTOMER_TOKEN_SECRET is not set"}, status=503
        )
    customer_id = request.query.get("customer_id", "")
    if not (0 < len(customer_id) <= 64 and customer_id.isalnum()):
        return web.json_response(
            {"error": "bad_request", "message": "customer_id must be 1-64 letters or digits"},
            status=400,
        )
    expires = int(time.time()) + 3600
    token = sign_customer(customer_id, expires, hub.settings.customer_token_secret)
    return web.json_response(
        {"customer_token": token, "customer_id": customer_id, "expires_at": expires}
    )
