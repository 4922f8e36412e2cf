"""Outcomes as CSV for spreadsheets: one row per conversation, every `Outcome` field.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return that hides one) are prefixed with ``'``: a customer's text, a topic or a team name must
never execute on a supervisor's machine. Times are ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable
from datetime import datetime, timezone

from handoff.core.outcomes import Outcome

COLUMNS = [f.name for f in dataclasses.fields(Outcome)] + ["first_contact_resolved"]
TIMES = {"started_at", "updated_at", "ended_at"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if name in TIMES and isinstance(value, int | float):
        text = datetime.fromtimestamp(value, timezone.utc).isoformat().replace("+00:00", "Z")
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(outcomes: Iterable[Outcome]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for outcome in outcomes:
        values = {**dataclasses.asdict(outcome)}
        values["first_contact_resolved"] = outcome.first_contact_resolved
        writer.writerow([cell(name, values[name]) for name in COLUMNS])
    return out.getvalue()
