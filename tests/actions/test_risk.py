"""The risk check puts each request in the right tier and says why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.risk import ALWAYS_ESCALATE, REQUEST_KINDS, RiskCase, RiskDecision, RiskPolicy, assess

POLICY = RiskPolicy()


@pytest.mark.parametrize(
    "case, tier, reasons",
    [
        # Routine verified requests stay with the assistant.
        (
            RiskCase("track_order", verified=True, order_status="shipped"),
            "automation",
            ("routine track order request",),
        ),
        (
            RiskCase("check_balance", verified=True),
            "automation",
            ("routine check balance request",),
        ),
        (RiskCase("faq"), "automation", ("routine faq request",)),
        (
            RiskCase(
                "change_address", verified=True, address_target="order", order_status="placed"
            ),
            "automation",
            ("routine change address request",),
        ),
        (
            RiskCase(
                "change_address", verified=True, address_target="account", order_status="shipped"
            ),
            "automation",
            ("routine change address request",),
        ),
        (
            RiskCase("refund", verified=True, amount="150.00"),
            "automation",
            ("routine refund request",),
        ),
        (
            RiskCase("start_return", verified=True, amount=64.9),
            "automation",
            ("routine start return request",),
        ),
        (
            RiskCase("cancel_order", verified=True, order_status="placed", amount="150.00"),
            "automation",
            ("routine cancel order request",),
        ),
        (
            RiskCase("cancel_order", verified=True, order_status="shipped"),
            "automation",
            ("routine cancel order request",),
        ),
        (RiskCase("track_order", sentiment=-0.59), "automation", ("routine track order request",)),
        (
            RiskCase("track_order", failed_attempts=1),
            "automation",
            ("routine track order request",),
        ),
        # Assistance: a person approves what the assistant prepared.
        (
            RiskCase(
                "change_address", verified=True, address_target="order", order_status="shipped"
            ),
            "assistance",
            ("address change on an order that is already shipped",),
        ),
        (
            RiskCase(
                "change_address", verified=True, address_target="order", order_status="delivered"
            ),
            "assistance",
            ("address change on an order that is already delivered",),
        ),
        (
            RiskCase("refund", verified=True, amount=240),
            "assistance",
            ("refund 240.00 is above the review amount 150.00",),
        ),
        (
            RiskCase("start_return", verified=True, amount=Decimal("150.01")),
            "assistance",
            ("refund 150.01 is above the review amount 150.00",),
        ),
        (
            RiskCase("cancel_order", verified=True, order_status="placed", amount="179.00"),
            "assistance",
            ("refund 179.00 is above the review amount 150.00",),
        ),
        (
            RiskCase("complaint", verified=True),
            "assistance",
            ("complaint (a person reviews the reply)",),
        ),
        # Escalation: a person takes over.
        (
            RiskCase("payment_dispute", verified=True),
            "escalation",
            ("payment dispute needs a person",),
        ),
        (RiskCase("chargeback"), "escalation", ("chargeback needs a person",)),
        (RiskCase("legal_request"), "escalation", ("legal request needs a person",)),
        (RiskCase("data_protection"), "escalation", ("data protection request needs a person",)),
        (RiskCase("harm_complaint"), "escalation", ("complaint about harm needs a person",)),
        (
            RiskCase("faq", sentiment=-0.82),
            "escalation",
            ("angry customer (sentiment -0.82 is at or below -0.60)",),
        ),
        (
            RiskCase("faq", sentiment=-0.6),
            "escalation",
            ("angry customer (sentiment -0.60 is at or below -0.60)",),
        ),
        (
            RiskCase("other", failed_attempts=2),
            "escalation",
            ("repeated failures (2 failed attempts, limit 2)",),
        ),
        # Combinations: the most severe tier wins and every reason is listed.
        (
            RiskCase("refund", verified=True, amount=240, sentiment=-0.9),
            "escalation",
            (
                "angry customer (sentiment -0.90 is at or below -0.60)",
                "refund 240.00 is above the review amount 150.00",
            ),
        ),
        (
            RiskCase("chargeback", sentiment=-0.7, failed_attempts=3),
            "escalation",
            (
                "chargeback needs a person",
                "angry customer (sentiment -0.70 is at or below -0.60)",
                "repeated failures (3 failed attempts, limit 2)",
            ),
        ),
        (
            RiskCase(
                "change_address",
                verified=True,
                address_target="order",
                order_status="shipped",
                failed_attempts=2,
            ),
            "escalation",
            (
                "repeated failures (2 failed attempts, limit 2)",
                "address change on an order that is already shipped",
            ),
        ),
    ],
)
def test_each_rule_puts_the_case_in_its_tier_with_reasons(case, tier, reasons):
    """The decision's tier and reasons match the rule table."""
    assert assess(case, POLICY) == RiskDecision(
        tier,
        reasons,
        case.request
        in {
            "track_order",
            "change_address",
            "check_balance",
            "start_return",
            "return_status",
            "refund",
        }
        and not case.verified,
    )


def test_unverified_order_question_is_not_escalated():
    """An unverified customer asking about an order gets automation plus a verification ask."""
    decision = assess(RiskCase("track_order", verified=False), POLICY)
    assert decision.tier == "automation"
    assert decision.needs_verification is True


def test_verified_customer_needs_no_verification():
    """Once verified, the action does not ask again."""
    assert assess(RiskCase("return_status", verified=True), POLICY).needs_verification is False


def test_general_questions_never_need_verification():
    """FAQ answers are public, so no verification is asked."""
    assert assess(RiskCase("faq"), POLICY).needs_verification is False


def test_policy_thresholds_are_configurable():
    """A lower review amount sends a smaller refund to a person."""
    policy = RiskPolicy(refund_review_amount=50)
    decision = assess(RiskCase("refund", verified=True, amount=64.9), policy)
    assert decision.reasons == ("refund 64.90 is above the review amount 50.00",)


def test_assess_uses_the_default_policy_when_none_is_given():
    """Without a policy the documented defaults apply."""
    assert assess(RiskCase("refund", verified=True, amount=151)).tier == "assistance"


def test_every_request_kind_is_accepted():
    """All documented request kinds can be assessed."""
    assert {assess(RiskCase(kind)).tier for kind in REQUEST_KINDS} <= {
        "automation",
        "assistance",
        "escalation",
    }


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"request": "hack"}, "unknown request kind"),
        ({"request": "faq", "sentiment": -1.5}, "sentiment"),
        ({"request": "faq", "failed_attempts": -1}, "failed_attempts"),
        ({"request": "refund", "amount": -5}, "amount"),
        ({"request": "refund", "amount": "lots"}, "amount must be a number"),
        ({"request": "change_address", "address_target": "moon"}, "address_target"),
    ],
)
def test_malformed_cases_are_rejected_clearly(kwargs, message):
    """Bad input raises ValueError naming the bad field."""
    with pytest.raises(ValueError, match=message):
        RiskCase(**kwargs)


def test_policy_from_mapping_converts_and_names_unknown_keys():
    """Settings from the environment or YAML become a policy; typos are reported."""
    assert RiskPolicy.from_mapping({"refund_review_amount": "99.5"}).refund_review_amount == 99.5
    with pytest.raises(ValueError, match="refund_review_amont"):
        RiskPolicy.from_mapping({"refund_review_amont": 1})
    with pytest.raises(ValueError, match="max_failed_attempts must be >= 1"):
        RiskPolicy(max_failed_attempts=0)


def test_decision_serialises_for_the_handoff_context():
    """to_json gives the protocol's risk block."""
    decision = assess(RiskCase("chargeback"))
    assert decision.to_json() == {"tier": "escalation", "reasons": ["chargeback needs a person"]}


def test_every_kind_a_person_must_own_is_a_request_kind_of_the_risk_check():
    assert set(ALWAYS_ESCALATE) <= set(REQUEST_KINDS)
