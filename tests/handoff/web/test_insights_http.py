"""`GET /api/insights` and `/api/insights.csv`: supervisors only, with clear answers to bad
queries, and the figures of the stored outcomes."""

import csv
import io
from datetime import date

from wsutil import agent

from handoff.core.insights import day_start
from handoff.core.outcomes import ABANDONED_QUEUE, CONTAINED, RESOLVED, Outcome

MARCH_1 = day_start(date(2026, 3, 1))
RANGE = "from=2026-03-01&to=2026-03-02"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


async def seed(store):
    day = 86400.0
    rows = [
        Outcome("a", CONTAINED, MARCH_1 + 60, MARCH_1 + 60, final=True, bot_rating=5),
        Outcome(
            "b",
            RESOLVED,
            MARCH_1 + 120,
            MARCH_1 + 900,
            final=True,
            team="billing",
            trigger="risk",
            risk_reason="legal",
            handoffs=1,
            wait_seconds=40.0,
            handle_seconds=300.0,
            agent_rating=4,
            topic="=1+1",
        ),
        Outcome(
            "c",
            ABANDONED_QUEUE,
            MARCH_1 + day,
            MARCH_1 + day,
            final=True,
            team="orders",
            trigger="sentiment",
            handoffs=1,
            wait_seconds=200.0,
        ),
        Outcome("old", CONTAINED, MARCH_1 - day, MARCH_1 - day, final=True),
    ]
    for row in rows:
        await store.save_outcome(row)
    # Agents' replies: in b one began as a suggestion, in c one was edited first; old's is
    # outside the range.
    replies = {
        "b": [None, {"source": "assistant", "edited": False}],
        "c": [{"source": "shop", "edited": True}],
        "old": [{"source": "assistant", "edited": False}],
    }
    for row in rows:
        if row.conversation_id not in replies:
            continue
        await store.create_conversation(row.conversation_id, "t" * 32, None, row.started_at)
        for mark in replies[row.conversation_id]:
            body = {"author": "Ana", "text": "Here is what I found."}
            if mark is not None:
                body["suggestion"] = mark
            await store.append(row.conversation_id, "message", "agent", body, None, row.started_at)


async def test_the_login_answer_and_the_welcome_carry_the_role(service, make_agent):
    token = await make_agent("sam", role="supervisor")
    _, welcome = await agent(service, token)
    assert welcome["agent"]["role"] == "supervisor"
    response = await service.post(
        "/api/agent/login", json={"username": "sam", "password": "correct horse"}
    )
    assert (await response.json())["agent"]["role"] == "supervisor"


async def test_without_a_token_insights_are_refused_with_401(service):
    for path in ("/api/insights", "/api/insights.csv"):
        response = await service.get(f"{path}?{RANGE}")
        assert response.status == 401
        assert (await response.json())["error"] == "unauthorized"
    response = await service.get("/api/insights", headers=bearer("forged"))
    assert response.status == 401


async def test_an_agent_gets_403_from_both_insights_endpoints(service, make_agent):
    token = await make_agent("ana")
    for path in ("/api/insights", "/api/insights.csv"):
        response = await service.get(f"{path}?{RANGE}", headers=bearer(token))
        assert response.status == 403
        assert await response.json() == {
            "error": "forbidden",
            "message": "insights are for supervisors",
        }


async def test_bad_queries_are_refused_with_400_naming_what_is_wrong(service, make_agent, hub):
    token = await make_agent("sam", role="supervisor", teams=("billing",))
    cases = {
        "from=2026-3-1": "'from' must be a date as YYYY-MM-DD",
        "from=2026-02-30": "'from' must be a date as YYYY-MM-DD",
        "to=yesterday": "'to' must be a date as YYYY-MM-DD",
        "from=2026-03-02&to=2026-03-01": "'from' must not be after 'to'",
        "from=2024-01-01&to=2026-03-01": "at most 366 days",
        f"{RANGE}&team=nobody": "unknown team 'nobody'",
    }
    for query, message in cases.items():
        for path in ("/api/insights", "/api/insights.csv"):
            response = await service.get(f"{path}?{query}", headers=bearer(token))
            body = await response.json()
            assert (response.status, body["error"]) == (400, "bad_request"), query
            assert message in body["message"], (query, body)


async def test_a_supervisor_gets_the_figures_of_the_range_and_of_one_team(service, make_agent, hub):
    await seed(hub.store)
    token = await make_agent("sam", role="supervisor")
    response = await service.get(f"/api/insights?{RANGE}", headers=bearer(token))
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert (body["from"], body["to"], body["team"]) == ("2026-03-01", "2026-03-02", None)
    assert body["totals"]["conversations"] == 3
    assert body["totals"]["containment_rate"] == 1 / 3
    assert body["totals"]["handoffs_by_trigger"] == {"risk": 1, "sentiment": 1}
    assert [d["conversations"] for d in body["days"]] == [2, 1]
    assert body["ratings"]["person"] == {"mean": 4.0, "count": 1}
    assert body["teams"] == ["billing", "orders"]
    assert body["suggestions"] == {
        "replies": 3,
        "suggested": 2,
        "edited": 1,
        "by_source": {"assistant": 1, "shop": 1},
        "rate": 2 / 3,
    }
    billing = await service.get(f"/api/insights?{RANGE}&team=billing", headers=bearer(token))
    billing_body = await billing.json()
    totals = billing_body["totals"]
    assert (totals["conversations"], totals["containment_rate"]) == (1, 0.0)
    assert (billing_body["suggestions"]["replies"], billing_body["suggestions"]["suggested"]) == (
        2,
        1,
    )


async def test_the_csv_has_a_row_per_outcome_and_is_a_safe_attachment(service, make_agent, hub):
    await seed(hub.store)
    token = await make_agent("sam", role="supervisor")
    response = await service.get(f"/api/insights.csv?{RANGE}", headers=bearer(token))
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="insights-2026-03-01-2026-03-02.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [r["conversation_id"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["topic"] == "'=1+1"
    one = await service.get(f"/api/insights.csv?{RANGE}&team=orders", headers=bearer(token))
    assert "orders.csv" in one.headers["Content-Disposition"]
    assert [r["conversation_id"] for r in csv.DictReader(io.StringIO(await one.text()))] == ["c"]


async def test_only_the_listed_vendor_files_are_served_from_the_npm_folder(
    settings, aiohttp_client, tmp_path
):
    from dataclasses import replace

    from handoff.app import create_app

    vendor = tmp_path / "node_modules"
    (vendor / "uplot" / "dist").mkdir(parents=True)
    (vendor / "uplot" / "dist" / "uPlot.esm.js").write_text("export default 1;")
    (vendor / "uplot" / "package.json").write_text("{}")
    client = await aiohttp_client(create_app(replace(settings, vendor_dir=vendor)))
    served = await client.get("/vendor/uplot/uPlot.esm.js")
    assert served.status == 200 and await served.text() == "export default 1;"
    assert served.headers["Content-Type"].startswith("text/javascript")
    assert "script-src 'self'" in served.headers["Content-Security-Policy"]
    for path in ("/vendor/uplot/package.json", "/vendor/../package.json", "/vendor/x.js"):
        assert (await client.get(path)).status == 404, path
    missing = await client.get("/vendor/uplot/uPlot.min.css")
    assert missing.status == 404 and "make install" in await missing.text()
