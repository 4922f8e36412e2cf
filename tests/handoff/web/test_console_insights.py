"""The insights page's words and series (widget/agent/figures.js), run in node."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MODULE = Path(__file__).resolve().parents[3] / "widget" / "agent" / "figures.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

DAYS = [
    {
        "day": "2026-03-01",
        "final": 4,
        "containment_rate": 0.5,
        "handoff_rate": 0.5,
        "first_contact_resolution_rate": 0.25,
        "handoff_rate_by_trigger": {"risk": 0.25, "sentiment": 0.25},
        "handoff_rate_by_risk_reason": {"legal": 0.25},
    },
    {
        "day": "2026-03-02",
        "final": 0,
        "containment_rate": None,
        "handoff_rate": None,
        "first_contact_resolution_rate": None,
        "handoff_rate_by_trigger": {},
        "handoff_rate_by_risk_reason": {},
    },
]


def run(expression: str):
    script = (
        f"import * as f from {json.dumps(MODULE.as_uri())};\n"
        f"console.log(JSON.stringify({expression}));"
    )
    out = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=20
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("f.percent(0.4234)", "42.3 %"),
        ("f.percent(null)", "\u2014"),
        ("f.seconds(45.4)", "45 s"),
        ("f.seconds(210)", "3.5 min"),
        ("f.seconds(5400)", "1.5 h"),
        ("f.rating({mean: 4.26, count: 3})", "4.3 of 5 (3 ratings)"),
        ("f.rating({mean: null, count: 0})", "no ratings"),
        (
            "f.suggestionUse({replies: 12, suggested: 3, edited: 1, rate: 0.25})",
            "25 % (3 of 12 replies, 1 edited)",
        ),
        (
            "f.suggestionUse({replies: 1, suggested: 0, edited: 0, rate: 0})",
            "0 % (0 of 1 reply, 0 edited)",
        ),
        ("f.suggestionUse({replies: 0, suggested: 0, edited: 0, rate: null})", "no agent replies"),
    ],
)
def test_figures_are_said_in_words(expression, expected):
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"from": "2026-03-01", "to": "2026-03-07", "team": ""},
            {"query": "from=2026-03-01&to=2026-03-07"},
        ),
        (
            {"from": "2026-03-01", "to": "2026-03-07", "team": "a&b"},
            {"query": "from=2026-03-01&to=2026-03-07&team=a%26b"},
        ),
        (
            {"from": "2026-03-08", "to": "2026-03-07"},
            {"error": "The start date is after the end date."},
        ),
        ({"from": "", "to": "2026-03-07"}, {"error": "Choose both dates."}),
    ],
)
def test_a_filter_becomes_a_query_or_says_what_is_wrong(filters, expected):
    assert run(f"f.queryOf({json.dumps(filters)})") == expected


def test_a_trigger_chart_has_a_series_per_trigger_and_a_table_in_words():
    chart = run(f"f.daySeries({{days: {json.dumps(DAYS)}}}, 'trigger')")
    assert chart["x"] == [1772323200, 1772409600]
    assert [s["label"] for s in chart["series"]] == ["Risk", "Sentiment"]
    # An empty day is a gap, not a zero.
    assert chart["series"][0]["values"] == [0.25, None]
    assert chart["table"]["head"] == ["Day", "Risk", "Sentiment"]
    assert chart["table"]["rows"][1] == ["2026-03-02", "\u2014", "\u2014"]


def test_a_distribution_becomes_bars_and_a_table():
    dist = {"bins": [{"label": "under 30 s", "count": 2}, {"label": "30 s or more", "count": 1}]}
    assert run(f"f.bins({json.dumps(dist)})") == {
        "labels": ["under 30 s", "30 s or more"],
        "counts": [2, 1],
        "table": {
            "head": ["Time", "Conversations"],
            "rows": [["under 30 s", "2"], ["30 s or more", "1"]],
        },
    }
