"""Supervisors' insights in the console: the figures of stored outcomes, a team filter that
changes them, the CSV download, and nothing of it for an agent.

The outcomes are written straight into the running service's database on days long past, so
the conversations other tests drive today never fall in the range shown."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from handoff.core.insights import day_start
from handoff.core.outcomes import ABANDONED_QUEUE, CONTAINED, RESOLVED, Outcome
from handoff.store import open_store

DAY1, DAY2 = date(2025, 6, 1), date(2025, 6, 2)
TEAM, OTHER = f"orders{os.getpid()}", f"billing{os.getpid()}"


async def seed(url: str) -> dict[str, str]:
    """Four conversations over two days, two teams; one with two not-understood messages."""
    ids = {name: f"{name}-{uuid.uuid4().hex[:8]}" for name in ("a", "b", "c", "d")}
    d1, d2 = day_start(DAY1) + 3600, day_start(DAY2) + 3600
    rows = [
        Outcome(ids["a"], CONTAINED, d1, d1, final=True, team=TEAM, bot_rating=5),
        Outcome(
            ids["b"],
            RESOLVED,
            d1 + 60,
            d1 + 900,
            final=True,
            team=OTHER,
            trigger="risk",
            risk_reason="legal",
            handoffs=1,
            wait_seconds=40.0,
            handle_seconds=300.0,
            agent_rating=4,
            topic="=HYPERLINK(1)",
        ),
        Outcome(
            ids["c"],
            ABANDONED_QUEUE,
            d2,
            d2 + 200,
            final=True,
            team=TEAM,
            trigger="sentiment",
            handoffs=1,
            wait_seconds=200.0,
        ),
        Outcome(ids["d"], CONTAINED, d2 + 60, d2 + 60, final=True, team=TEAM, bot_rating=3),
    ]
    store = open_store(url)
    await store.open()
    try:
        for row in rows:
            await store.save_outcome(row)
        await store.create_conversation(ids["a"], uuid.uuid4().hex, None, d1)
        for text in ("blorp fnord", "Blorp  fnord!"):
            seq, _ = await store.append(ids["a"], "message", "customer", {"text": text}, None, d1)
            await store.add_turn(ids["a"], seq, {"goal": "failed"}, d1 + 5)
        # The person in b replied twice, once starting from a suggested reply.
        await store.create_conversation(ids["b"], uuid.uuid4().hex, None, d1 + 60)
        for mark in (None, {"source": "assistant", "edited": False}):
            body = {"author": "Ana", "text": "Returns are free within 30 days."}
            body.update({"suggestion": mark} if mark else {})
            await store.append(ids["b"], "message", "agent", body, None, d1 + 300)
    finally:
        await store.close()
    return ids


def figure(page, name):
    return page.locator(f'[data-figure="{name}"] dd')


def test_a_supervisor_reads_the_figures_filters_by_team_and_downloads_the_csv(
    product, make_agent, shoot
):
    with ThreadPoolExecutor(1) as pool:
        ids = pool.submit(asyncio.run, seed(product.database_url)).result()
    supervisor = make_agent("Sue", role="supervisor")
    console = supervisor.page
    # In a tab of its own: the console stays open, and the supervisor online, behind it.
    with console.expect_popup() as opened:
        console.get_by_role("link", name="Insights").click()
    page = opened.value
    expect(page).to_have_url(re.compile(r"/agent/insights\?from=\d{4}-\d\d-\d\d&to="))
    page.get_by_label("From").fill(DAY1.isoformat())
    page.get_by_label("To").fill(DAY2.isoformat())
    page.get_by_role("button", name="Show").click()
    status = page.get_by_role("status")
    expect(status).to_have_text("2025-06-01 to 2025-06-02, all teams: 4 conversations.")
    expect(figure(page, "containment")).to_have_text("50 %")
    expect(figure(page, "handoff")).to_have_text("50 %")
    expect(figure(page, "assistant-rating")).to_have_text("4 of 5 (2 ratings)")
    expect(figure(page, "person-rating")).to_have_text("4 of 5 (1 rating)")
    expect(figure(page, "wait")).to_have_text("2 min / 3.3 min")
    expect(figure(page, "suggestions")).to_have_text("50 % (1 of 2 replies, 0 edited)")
    # Each chart is drawn (a canvas) and said in a table a keyboard can open.
    trigger = page.locator("#trigger-chart")
    expect(trigger.locator("canvas")).to_have_count(1)
    trigger.get_by_text("Show as a table").focus()
    page.keyboard.press("Enter")
    expect(trigger.get_by_role("row", name="2025-06-01")).to_contain_text("50 %")
    failed = page.locator("#failed tbody tr").first
    expect(failed).to_contain_text("blorp fnord")
    expect(failed.locator("td").nth(1)).to_have_text("2")
    expect(failed.get_by_role("link")).to_have_attribute("href", f"/agent#conversation={ids['a']}")
    shoot(page, "console-insights")

    page.get_by_label("Team").select_option(TEAM)
    page.get_by_role("button", name="Show").click()
    expect(status).to_have_text(f"2025-06-01 to 2025-06-02, team {TEAM}: 3 conversations.")
    expect(figure(page, "containment")).to_have_text("66.7 %")
    expect(figure(page, "person-rating")).to_have_text("no ratings")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"insights-2025-06-01-2025-06-02-{TEAM}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [r["conversation_id"] for r in rows] == [ids["a"], ids["c"], ids["d"]]
    assert {r["team"] for r in rows} == {TEAM}
    assert rows[1]["ending"] == ABANDONED_QUEUE and rows[1]["wait_seconds"] == "200.0"

    page.get_by_label("Team").select_option("")
    with page.expect_download() as everything:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(everything.value.path()).read_text()
    assert ",'=HYPERLINK(1)," in text  # a formula from a topic is never run by a spreadsheet

    expect(console.get_by_role("status").filter(has_text="Online")).to_be_visible()
    back = page.get_by_role("link", name="Back to the console")
    expect(back).to_be_visible()
    with page.expect_event("close"):  # back to the console's own tab, not a second console
        # Clicked from a timer: the link closes its own tab, and a click Playwright is still
        # finishing when the tab goes fails with "Target page ... has been closed".
        back.evaluate("link => setTimeout(() => link.click(), 0)")
    expect(console).to_have_url(re.compile(r"/agent(#.*)?$"))


def test_an_agent_gets_no_insights_link_and_a_403_from_the_api(product, make_agent):
    agent = make_agent("Al")
    page = agent.page
    expect(page.get_by_role("link", name="Insights")).to_be_hidden()
    answer = page.evaluate(
        """async () => {
          const {token} = JSON.parse(sessionStorage.getItem("northwind-agent.session"));
          const res = await fetch("/api/insights", {headers: {Authorization: `Bearer ${token}`}});
          return {status: res.status, body: await res.json()};
        }"""
    )
    assert answer == {
        "status": 403,
        "body": {"error": "forbidden", "message": "insights are for supervisors"},
    }
    page.goto(product.base_url + "/agent/insights")
    expect(page.get_by_role("alert")).to_contain_text("Insights are for supervisors.")
    assert json.loads(page.evaluate("sessionStorage.getItem('northwind-agent.session')"))
