"""Pass rates per category and set, the numbers each target is read from, and the failures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.judgement.judge import Recording, Verdict, judge, transcript
from bench.judgement.scripts import CATEGORIES, Script


@dataclass
class Result:
    script: Script
    verdict: Verdict
    recording: Recording | None  # None when the script could not be played


def result(script: Script, played: Recording | str) -> Result:
    """A script's verdict from its recording, or a failure when it could not be played."""
    if isinstance(played, str):
        return Result(script, Verdict(False, played, None, None, False), None)
    return Result(script, judge(script, played), played)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(results: list[Result]) -> dict[str, Any]:
    """Every number of one run: per set and category, and the targets' own measures."""
    out: dict[str, Any] = {"sets": {}}
    for source in sorted({r.script.source for r in results}):
        mine = [r for r in results if r.script.source == source]
        categories: dict[str, Any] = {}
        for category in CATEGORIES:
            rows = [r for r in mine if r.script.category == category]
            if not rows:
                continue
            passed = sum(r.verdict.passed for r in rows)
            handed = sum(r.verdict.handoff_turn is not None for r in rows)
            entry: dict[str, Any] = {
                "scripts": len(rows),
                "passed": passed,
                "pass_rate": _rate(passed, len(rows)),
                "handoff_rate": _rate(handed, len(rows)),
            }
            if category in ("frustration", "loop", "escalation", "emergency", "person_request"):
                entry["triggers"] = dict(
                    Counter(r.verdict.trigger for r in rows if r.verdict.trigger)
                )
            if category == "routine":
                fallback = sum(r.verdict.fallback for r in rows)
                entry["fallback_rate"] = _rate(fallback, len(rows))
            if category == "unsupported":
                unrelated = sum("unrelated answer" in r.verdict.reason for r in rows)
                entry["unrelated_answer_rate"] = _rate(unrelated, len(rows))
            categories[category] = entry
        passed = sum(r.verdict.passed for r in mine)
        out["sets"][source] = {
            "scripts": len(mine),
            "passed": passed,
            "pass_rate": _rate(passed, len(mine)),
            "categories": categories,
            "failed": [r.script.id for r in mine if not r.verdict.passed],
        }
    return out


TARGETS = (
    # (category, measure, wanted, what it says)
    ("person_request", "pass_rate", 1.0, "requests for a person honoured within the turn"),
    ("escalation", "pass_rate", 1.0, "escalation cases handed off by the next turn"),
    ("emergency", "pass_rate", 1.0, "emergencies: safety message first, priority 0, next turn"),
    ("routine", "handoff_rate", 0.0, "routine scripts handed off"),
    ("identity", "handoff_rate", 0.0, "identity questions handed off"),
    ("identity", "pass_rate", 1.0, "identity questions answered truthfully"),
    ("unsupported", "unrelated_answer_rate", 0.0, "unsupported requests given an unrelated answer"),
    ("language", "pass_rate", 1.0, "other languages handed off or told plainly"),
    ("frustration", "pass_rate", None, "frustration handed off by the end"),
    ("loop", "pass_rate", None, "loops handed off by the end"),
)


def targets(summary: dict[str, Any]) -> dict[str, Any]:
    """Each target's measured value per set, and whether it is met (None: no target)."""
    out: dict[str, Any] = {}
    for source, data in summary["sets"].items():
        rows = {}
        for category, measure, wanted, _ in TARGETS:
            value = data["categories"].get(category, {}).get(measure)
            met = None if wanted is None or value is None else value == wanted
            rows[f"{category}.{measure}"] = {"value": value, "target": wanted, "met": met}
        out[source] = rows
    return out


def table(summary: dict[str, Any]) -> str:
    lines = [f"{'set':8} {'category':15} {'scripts':>7} {'passed':>6} {'rate':>6}  notes"]
    for source, data in summary["sets"].items():
        for category, entry in data["categories"].items():
            notes = []
            if entry.get("triggers"):
                kinds = sorted(entry["triggers"].items())
                notes.append("triggers " + ", ".join(f"{k}={v}" for k, v in kinds))
            if "fallback_rate" in entry:
                notes.append(f"fallback on main request {_pct(entry['fallback_rate'])}")
            if "unrelated_answer_rate" in entry:
                notes.append(f"unrelated answers {_pct(entry['unrelated_answer_rate'])}")
            if category in ("routine", "identity"):
                notes.append(f"handed off {_pct(entry['handoff_rate'])}")
            lines.append(
                f"{source:8} {category:15} {entry['scripts']:>7} {entry['passed']:>6} "
                f"{_pct(entry['pass_rate']):>6}  {'; '.join(notes)}"
            )
        lines.append(
            f"{source:8} {'ALL':15} {data['scripts']:>7} {data['passed']:>6} "
            f"{_pct(data['pass_rate']):>6}"
        )
    return "\n".join(lines)


def targets_table(measured: dict[str, Any]) -> str:
    lines = []
    for source, rows in measured.items():
        for category, measure, wanted, text in TARGETS:
            row = rows[f"{category}.{measure}"]
            state = {True: "met", False: "NOT MET", None: "-"}[row["met"]]
            goal = "" if wanted is None else f"(target {_pct(wanted)})"
            lines.append(f"{source:8} {text:58} {_pct(row['value']):>6} {goal:14} {state}")
    return "\n".join(lines)


def failures(results: list[Result]) -> str:
    lines = []
    for r in results:
        if r.verdict.passed:
            continue
        lines.append(f"FAIL {r.script.id} [{r.script.category}]: {r.verdict.reason}")
        if r.recording is not None:
            lines.extend(transcript(r.recording))
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"
