"""Outcomes as CSV: every field, a header row, and no cell a spreadsheet would run."""

import csv
import dataclasses
import io

import pytest

from handoff.core.export import COLUMNS, cell, to_csv
from handoff.core.outcomes import RESOLVED, Outcome


def test_the_header_names_every_outcome_field_and_rows_read_back():
    outcome = Outcome(
        "c1", RESOLVED, 1772359200.0, 1772359300.0, final=True, team="billing", wait_seconds=12.5
    )
    rows = list(csv.DictReader(io.StringIO(to_csv([outcome]))))
    assert list(rows[0]) == COLUMNS
    assert {f.name for f in dataclasses.fields(Outcome)} < set(COLUMNS)
    assert rows[0]["started_at"] == "2026-03-01T10:00:00Z"
    assert rows[0]["ended_at"] == ""
    assert (rows[0]["team"], rows[0]["wait_seconds"], rows[0]["final"]) == (
        "billing",
        "12.5",
        "true",
    )
    assert rows[0]["first_contact_resolved"] == "true"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("orders", "orders"),
        ("a=b", "a=b"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(value, expected):
    assert cell("topic", value) == expected


def test_a_hostile_team_name_is_quoted_in_the_file():
    outcome = Outcome("c1", RESOLVED, 0.0, 0.0, team="=cmd|' /C calc'!A0")
    text = to_csv([outcome])
    assert ",'=cmd|" in text and ",=cmd" not in text
