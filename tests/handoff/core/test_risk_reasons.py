"""The kind of a handoff's most severe risk reason, from the sentences the risk check writes."""

import pytest

from actions.risk import RiskCase, assess
from contract.case_kinds import case_reason
from handoff.core.risk_reasons import RISK_REASONS, risk_reason


@pytest.mark.parametrize(
    ("risk", "word"),
    [
        ({"tier": "emergency", "reasons": ["imminent danger: smoke and sparks"]}, "emergency"),
        ({"tier": "escalation", "reasons": ["emergency: gas smell"]}, "emergency"),
        ({"tier": "escalation", "reasons": [case_reason("legal_request")]}, "legal_request"),
        (
            {"tier": "escalation", "reasons": [case_reason("fraud", "the rules found 'stolen'")]},
            "fraud",
        ),
        ({"tier": "escalation", "reasons": [case_reason("harm_complaint")]}, "harm_complaint"),
        (
            {"tier": "escalation", "reasons": ["angry customer (sentiment -0.80 is at or below"]},
            "angry_customer",
        ),
        (
            {"tier": "escalation", "reasons": ["repeated failures (2 failed attempts, limit 2)"]},
            "repeated_failures",
        ),
        (
            {"tier": "assistance", "reasons": ["refund 200.00 is above the review amount 150.00"]},
            "refund_review",
        ),
        (
            {"tier": "assistance", "reasons": ["address change on an order that is already sent"]},
            "address_change",
        ),
        ({"tier": "assistance", "reasons": ["complaint (a person reviews it)"]}, "complaint"),
        ({"tier": "automation", "reasons": ["routine track order request"]}, "none"),
        ({"tier": "escalation", "reasons": []}, "none"),
        ({"tier": "assistance", "reasons": ["rasa_unavailable"]}, "other"),
        (None, "none"),
        ({"tier": "escalation", "reasons": [3, "", case_reason("chargeback")]}, "chargeback"),
    ],
)
def test_the_first_risk_reason_gives_its_word(risk, word):
    assert risk_reason(risk) == word
    assert word in RISK_REASONS


def test_the_most_severe_reason_wins_when_there_are_several():
    risk = {"tier": "escalation", "reasons": [case_reason("payment_dispute"), "angry customer"]}
    assert risk_reason(risk) == "payment_dispute"


def test_the_risk_check_writes_only_reasons_this_list_knows():
    """Every reason the risk check (actions/risk.py) can put first is named, none "other"."""
    cases = [
        RiskCase("refund", verified=True, amount=500),
        RiskCase("complaint"),
        RiskCase("track_order", sentiment=-0.9),
        RiskCase("track_order", failed_attempts=3),
        RiskCase("change_address", address_target="order", order_status="shipped"),
        RiskCase("other", danger="imminent danger: smoke"),
        *(RiskCase(kind) for kind in ("legal_request", "fraud", "chargeback", "data_protection")),
    ]
    for case in cases:
        decision = assess(case)
        assert risk_reason(decision.to_json()) not in ("other", "none"), decision
