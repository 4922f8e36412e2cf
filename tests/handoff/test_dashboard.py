"""The example Grafana board (docs/grafana/handoff-dashboard.json) asks only for what the
service exposes: every metric and label in its queries is in a real /metrics answer, scraped
after a handoff, a close and both ratings went through the service."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fakerasa import INTAKE_TOKEN, handoff_body
from promutil import declared, samples
from wsutil import agent, customer, event, of, until

BOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana" / "handoff-dashboard.json"
AUTH = {"Authorization": f"Bearer {INTAKE_TOKEN}"}
NAME = re.compile(r"\bhandoff_[a-z0-9_]+\b")
SELECTOR = re.compile(r"\b(handoff_[a-z0-9_]+)\{([^}]*)\}")
MATCHER = re.compile(r'([a-z_]+)\s*(?:=~|!~|!=|=)\s*"')
GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
SUFFIXES = {"counter": ("",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count")}


def board() -> dict:
    return json.loads(BOARD.read_text())


def queries(dashboard: dict) -> list[str]:
    """Every PromQL query of the board: its panels' targets and its variables."""
    found = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            found.append(variable["query"]["query"])
    return found


def test_the_board_is_a_grafana_dashboard_on_a_prometheus_datasource_variable():
    dashboard = board()
    assert 36 <= dashboard["schemaVersion"] <= 41
    [source] = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert source["query"] == "prometheus"
    ref = {"type": "prometheus", "uid": f"${{{source['name']}}}"}
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == ref, panel["title"]
        assert panel["targets"] and panel["description"], panel["title"]
        assert all(target["datasource"] == ref for target in panel["targets"]), panel["title"]


def test_every_query_is_balanced_and_names_a_handoff_metric():
    for expr in queries(board()):
        assert NAME.search(expr), expr
        for left, right in ("()", "{}", "[]"):
            assert expr.count(left) == expr.count(right), expr
        assert expr.count('"') % 2 == 0, expr


def rating(kind: str, part: str):
    return lambda f: event(kind)(f) and f.get("part") == part


@pytest.fixture
async def scraped(service, make_agent):
    """/metrics after a customer was handed off, rated the assistant, was served, closed and
    rated the person."""
    ws_a, _ = await agent(service, await make_agent("ana"))
    ws_c, welcome = await customer(service)
    await until(ws_c, of("message", sender="bot"))
    cid = welcome["conversation_id"]
    response = await service.post("/api/handoffs", json=handoff_body(cid), headers=AUTH)
    assert response.status == 201
    await until(ws_c, rating("csat_request", "assistant"))
    await ws_c.send_json({"type": "csat", "score": 2, "part": "assistant"})
    await until(ws_c, rating("csat_received", "assistant"))
    await until(ws_a, of("assigned"))
    await ws_a.send_json({"type": "close", "conversation_id": cid, "resolution": "refund_issued"})
    await until(ws_c, rating("csat_request", "person"))
    await ws_c.send_json({"type": "csat", "score": 4, "comment": None})
    await until(ws_c, rating("csat_received", "person"))
    return await (await service.get("/metrics")).text()


async def test_every_metric_and_label_the_board_queries_is_exposed(scraped):
    kinds = declared(scraped)
    names = {family + suffix for family, kind in kinds.items() for suffix in SUFFIXES[kind]}
    labels: dict[str, set[str]] = {}
    for name, pairs in samples(scraped):
        labels.setdefault(name, set()).update(label for label, _ in pairs)
    for expr in queries(board()):
        used = set(NAME.findall(expr))
        assert used <= names, f"{expr}: not exposed: {sorted(used - names)}"
        for name, matchers in SELECTOR.findall(expr):
            for label in MATCHER.findall(matchers):
                # A family nobody counted into yet has no samples to read its labels from.
                assert name not in labels or label in labels[name], f"{expr}: {name} {label}"
        known = set().union(*(labels.get(name, set()) for name in used))
        for group in GROUPING.findall(expr):
            for label in filter(None, (x.strip() for x in group.split(","))):
                assert not known or label in known, f"{expr}: no label {label}"


async def test_the_drive_counts_into_what_the_board_plots(scraped):
    values = samples(scraped)

    def value(name: str, **labels: str) -> float | None:
        return values.get((name, frozenset(labels.items())))

    assert value("handoff_handoffs_total", reason="sentiment") == 1
    assert value("handoff_risk_handoffs_total", risk_reason="angry_customer") == 1
    assert value("handoff_ratings_total", part="person", score="4") == 1
    assert value("handoff_ratings_total", part="assistant", score="2") == 1
    assert value("handoff_ratings_total", part="assistant", score="4") == 0
    assert value("handoff_queue_wait_seconds_count") == 1
    assert value("handoff_queue_length") == 0
    assert value("handoff_emergencies_total") == 0
    assert value("handoff_outcomes_total", ending="resolved", team="refunds") == 1
    assert value("handoff_first_contact_resolved_total", team="refunds") == 1
    assert value("handoff_handle_seconds_count") == value("handoff_wait_seconds_count") == 1
