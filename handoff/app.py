"""The app factory: `create_app(settings)` wires settings → store, hub, routes, and opens and
closes every resource in one place."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import structlog
from aiohttp import web

from handoff.metrics import Metrics
from handoff.rasa import RasaClient
from handoff.service.hub import Hub
from handoff.settings import Settings
from handoff.store import Store, open_store
from handoff.web import agent_ws, auth_http, customer_ws, insights_http, intake_http, static
from handoff.web.errors import close
from handoff.web.keys import HUB, LOGIN_LIMITS, LOST_LEAD, SETTINGS
from handoff.web.login_limits import LoginLimits

__all__ = ["HUB", "LOST_LEAD", "close_sockets", "create_app"]

log = structlog.get_logger("handoff.app")

TICK_SECONDS = 0.25
LEAD_POLL_SECONDS = 1.0
QUEUE_REFRESH_SECONDS = 30.0
# Outcomes whose customer left are settled this often (a quarter of the settle time, at most).
OUTCOME_SWEEP_SECONDS = 30.0
# How long stopping waits for a cancelled background loop before cancelling it again.
STOP_RETRY_SECONDS = 1.0


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[static.security_headers(settings.allowed_origins)], client_max_size=1024 * 1024
    )
    app[SETTINGS] = settings
    app[LOST_LEAD] = asyncio.Event()
    app[LOGIN_LIMITS] = LoginLimits()
    app.cleanup_ctx.append(_resources)
    app.on_shutdown.append(close_sockets)
    app.router.add_get("/ws/customer", customer_ws.handle)
    app.router.add_get("/ws/agent", agent_ws.handle)
    app.router.add_post("/api/handoffs", intake_http.handle)
    app.router.add_post("/api/agent/login", auth_http.login)
    app.router.add_get("/healthz", auth_http.healthz)
    app.router.add_get("/metrics", auth_http.metrics)
    app.router.add_get("/demo/customer-token", auth_http.demo_customer_token)
    app.router.add_get("/api/insights", insights_http.figures)
    app.router.add_get("/api/insights.csv", insights_http.export)
    static.add_routes(app, settings.static_dir, settings.vendor_dir)
    return app


async def _resources(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    store = open_store(settings.database_url)
    await store.open()
    # One active instance per database: the live queue is in memory. Others wait as standby
    # (not listening yet) and take over when the active one stops or dies.
    while not await store.try_lead():
        log.info("service.standby", reason="another instance is active on this database")
        await asyncio.sleep(LEAD_POLL_SECONDS)
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout)
    hub = Hub(settings, store, rasa, Metrics())
    await hub.start()
    app[HUB] = hub
    ticker = asyncio.create_task(_tick(hub))
    watchdog = asyncio.create_task(_watch_lead(store, app[LOST_LEAD]))
    log.info(
        "service.started", database=settings.database_url.split("://")[0], rasa=settings.rasa_url
    )
    yield
    for task in (ticker, watchdog):
        await _stop(task)
    await hub.relay.stop()
    await hub.assist.stop()
    await hub.outcomes.stop()
    await rasa.close()
    await store.close()


async def _stop(task: asyncio.Task[None]) -> None:
    """Cancel a background loop and wait for it to end, cancelling again if a cancellation
    was lost on the way (a library that swallows one must not keep the service from
    stopping)."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=STOP_RETRY_SECONDS)
    if not task.cancelled() and task.exception() is not None:
        log.error("service.task_failed", task=task.get_name(), error=repr(task.exception()))


async def _tick(hub: Hub) -> None:
    """Expire agents' grace periods (and assign what they free) every tick, refresh the
    waiting customers' queue status now and then (business hours open and close by the clock),
    and settle the outcomes of conversations whose customer left (from the first tick: those
    a restart left unsettled too)."""
    ticks_per_refresh = int(QUEUE_REFRESH_SECONDS / TICK_SECONDS)
    sweep_every = min(OUTCOME_SWEEP_SECONDS, hub.settings.outcome_settle_seconds / 4)
    ticks_per_sweep = max(1, int(sweep_every / TICK_SECONDS))
    for count in itertools.count(1):
        await asyncio.sleep(TICK_SECONDS)
        try:
            if count % ticks_per_sweep == 1 % ticks_per_sweep:  # from the first tick on
                await hub.outcomes.sweep()
            if any(c.grace_until is not None for c in hub.desk.conversations.values()):
                await hub.command(lambda desk: desk.tick(hub.clock()))
            if count % ticks_per_refresh == 0 and hub.desk.queue():
                await hub.broadcast_queue()
        except Exception:
            log.exception("tick.failed")


async def _watch_lead(store: Store, lost: asyncio.Event) -> None:
    """Stop serving if the database session holding our lock dies (a standby may take over):
    two active instances must never run side by side."""
    while True:
        if not await store.still_leading():
            break
        await asyncio.sleep(LEAD_POLL_SECONDS)
    log.error("service.lost_lead", reason="the database session holding the lock ended")
    lost.set()


async def close_sockets(app: web.Application) -> None:
    """Tell every client the server is going away (1001); they reconnect and resume."""
    hub = app.get(HUB)
    if hub is None:
        return
    hub.live.closing = True  # sockets that finish their handshake from now on are closed at once
    await asyncio.gather(
        *(close(ws, "shutting_down") for ws in list(hub.live.sockets())),
        return_exceptions=True,
    )
