"""The emergency tier: above every other, with the danger as its first reason."""

import pytest

from actions.risk import TIERS, RiskCase, assess


@pytest.mark.parametrize(
    ("case", "reasons"),
    [
        (
            RiskCase(request="other", danger="imminent danger: smoke and sparks"),
            ("imminent danger: smoke and sparks",),
        ),
        (
            RiskCase(request="harm_complaint", danger="imminent danger: fire"),
            ("imminent danger: fire", "complaint about harm needs a person"),
        ),
        (
            RiskCase(request="complaint", sentiment=-0.9, danger="imminent danger: gas"),
            (
                "imminent danger: gas",
                "angry customer (sentiment -0.90 is at or below -0.60)",
                "complaint (a person reviews the reply)",
            ),
        ),
        (
            RiskCase(request="track_order", danger="imminent danger reported"),
            ("imminent danger reported",),
        ),
    ],
)
def test_a_danger_puts_the_case_in_the_emergency_tier_whatever_else_applies(case, reasons):
    decision = assess(case)
    assert decision.tier == "emergency"
    assert decision.reasons == reasons


def test_emergency_is_the_most_severe_tier():
    assert TIERS[-1] == "emergency"


def test_no_danger_leaves_the_tier_as_it_was():
    assert assess(RiskCase(request="harm_complaint")).tier == "escalation"


@pytest.mark.parametrize("danger", ["", "   ", 3])
def test_a_danger_without_a_description_is_refused(danger):
    with pytest.raises(ValueError, match="danger must be a non-empty description"):
        RiskCase(request="other", danger=danger)
