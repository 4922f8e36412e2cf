"""Health, metrics, static pages with their security headers, and the demo token."""

from promutil import declared, sample

from contract.customer_token import verify_customer_token


async def test_healthz_reports_the_database(service):
    response = await service.get("/healthz")
    assert (response.status, await response.json()) == (200, {"status": "ok", "database": "ok"})


async def test_metrics_are_prometheus_text_with_connection_counts(service):
    await service.ws_connect("/ws/customer")
    response = await service.get("/metrics")
    text = await response.text()
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert sample(text, "handoff_connections", role="customer") == 1
    assert sample(text, "handoff_connections", role="agent") == 0
    assert declared(text)["handoff_queue_wait_seconds"] == "histogram"


async def test_the_store_page_is_served_as_html_with_a_csp_that_forbids_inline_scripts(service):
    response = await service.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert response.content_type == "text/html" and "<title>Store</title>" in await response.text()
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )


async def test_only_the_chat_frame_may_be_framed_by_the_allowed_host_sites(service, settings):
    (settings.static_dir / "frame.html").write_text("<!doctype html><title>Chat</title>")
    chat = (await service.get("/widget/frame.html")).headers["Content-Security-Policy"]
    console = (await service.get("/agent")).headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://shop.example;" in chat
    assert "frame-ancestors 'self';" in console


async def test_the_agent_console_is_served_at_agent(service):
    response = await service.get("/agent")
    assert "<title>Agents</title>" in await response.text()


async def test_widget_files_are_served_with_their_content_type(service):
    response = await service.get("/widget/widget.js")
    assert response.status == 200 and "javascript" in response.content_type


async def test_paths_outside_the_static_dir_are_not_served(service):
    response = await service.get("/widget/../../handoff.db")
    assert response.status in (403, 404)


async def test_the_demo_token_endpoint_mints_a_verifiable_customer_token(service, settings):
    response = await service.get("/demo/customer-token?customer_id=C1001")
    token = (await response.json())["customer_token"]
    assert verify_customer_token(token, settings.customer_token_secret, 0) == "C1001"


async def test_the_demo_token_endpoint_refuses_a_bad_customer_id(service):
    response = await service.get("/demo/customer-token?customer_id=../x")
    assert response.status == 400


async def test_the_demo_token_endpoint_is_absent_without_demo_mode(aiohttp_client, settings):
    from handoff.app import create_app

    client = await aiohttp_client(create_app(settings.with_changes(demo=False)))
    assert (await client.get("/demo/customer-token?customer_id=C1001")).status == 404


async def test_the_service_stops_serving_when_it_loses_the_postgresql_lock(service, settings, hub):
    import asyncio

    import asyncpg
    import pytest

    from handoff.app import LOST_LEAD

    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite's file lock cannot be lost while the process lives")
    admin = await asyncpg.connect(settings.database_url)
    await admin.execute("SELECT pg_terminate_backend($1)", hub.store.driver.leader_pid())
    await admin.close()
    await asyncio.wait_for(service.app[LOST_LEAD].wait(), 5)


async def test_the_service_stops_even_when_a_background_loop_loses_a_cancellation(
    service, hub, monkeypatch
):
    """On Python 3.11 asyncio.wait_for drops a cancellation that arrives as what it waits for
    completes; a loop that lost one must still not keep the service from stopping."""
    import asyncio

    from handoff import app

    monkeypatch.setattr(app, "LEAD_POLL_SECONDS", 0.01)
    monkeypatch.setattr(app, "STOP_RETRY_SECONDS", 0.05)
    inside, cancellations = asyncio.Event(), []

    async def still_leading_losing_one_cancellation() -> bool:
        inside.set()
        try:
            await asyncio.sleep(10)  # a slow check: the cancellation lands here
        except asyncio.CancelledError:
            if cancellations:
                cancellations.append("honoured")
                raise
            cancellations.append("lost")  # once, as wait_for does
        return True

    hub.store.still_leading = still_leading_losing_one_cancellation
    await asyncio.wait_for(inside.wait(), 5)
    closing = asyncio.create_task(service.close())
    await asyncio.wait({closing}, timeout=5)  # waits without cancelling anything
    stopped = closing.done()
    for task in asyncio.all_tasks():  # a loop still going here would hang teardown too
        if task.get_coro().__name__ == "_watch_lead":
            task.cancel()
    await closing
    assert stopped
    assert cancellations == ["lost", "honoured"]
