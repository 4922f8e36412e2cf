"""The risk check: which tier (automation, assistance, escalation) a request belongs to.

Pure: a ``RiskCase`` (what the customer asks and what we know) and a ``RiskPolicy``
(thresholds) go in, a ``RiskDecision`` comes out. Every rule that applies adds a plain-English
reason with the observed value; the most severe tier wins.

- automation: the assistant does it alone.
- assistance: a person approves, edits or rejects what the assistant prepared.
- escalation: a person takes over.
- emergency: the customer is in danger now; a safety message first, then the first free person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from contract.case_kinds import CASE_LABELS, case_reason

TIERS = ("automation", "assistance", "escalation", "emergency")

# Requests that concern one customer's data: without verification the action asks for it.
CUSTOMER_REQUESTS = (
    "track_order",
    "change_address",
    "check_balance",
    "start_return",
    "cancel_order",
    "return_status",
    "refund",
)
NEEDS_VERIFICATION = frozenset(CUSTOMER_REQUESTS)
REQUEST_KINDS = (
    *CUSTOMER_REQUESTS,
    "faq",
    "payment_dispute",
    "chargeback",
    "legal_request",
    "data_protection",
    "harm_complaint",
    "complaint",
    "fraud",
    "regulator_complaint",
    "other",
)
# Requests a person must own from the start, whatever else is true.
ALWAYS_ESCALATE = CASE_LABELS
# Order states after which the shipping address is fixed.
ADDRESS_FIXED_STATUSES = frozenset({"shipped", "delivered", "returned", "cancelled"})


@dataclass(frozen=True)
class RiskPolicy:
    refund_review_amount: float = 150.0
    angry_sentiment: float = -0.6
    max_failed_attempts: int = 2

    def __post_init__(self) -> None:
        if self.refund_review_amount < 0:
            raise ValueError(f"refund_review_amount must be >= 0, got {self.refund_review_amount}")
        if not -1.0 <= self.angry_sentiment <= 1.0:
            raise ValueError(f"angry_sentiment must be in [-1, 1], got {self.angry_sentiment}")
        if self.max_failed_attempts < 1:
            raise ValueError(f"max_failed_attempts must be >= 1, got {self.max_failed_attempts}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RiskPolicy:
        """Build from a settings mapping, naming any unknown key instead of ignoring it."""
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"unknown risk policy setting(s): {', '.join(unknown)}")
        converted = {}
        for name, value in values.items():
            kind = int if name == "max_failed_attempts" else float
            try:
                converted[name] = kind(value)
            except (TypeError, ValueError):
                raise ValueError(
                    f"risk policy setting {name} must be a number, got {value!r}"
                ) from None
        return cls(**converted)


@dataclass(frozen=True)
class RiskCase:
    request: str
    verified: bool = False
    order_status: str | None = None
    amount: Decimal | float | int | str | None = None
    sentiment: float | None = None
    failed_attempts: int = 0
    address_target: str | None = None  # "order" or "account" for change_address
    danger: str | None = None  # imminent danger, e.g. "imminent danger: smoke and sparks"
    # Cases the rules found in the customer's words (contract/cases.py): (request kind, words).
    rule_cases: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.request not in REQUEST_KINDS:
            raise ValueError(f"unknown request kind {self.request!r}; one of {REQUEST_KINDS}")
        if self.address_target not in (None, "order", "account"):
            raise ValueError(
                f"address_target must be 'order' or 'account', got {self.address_target!r}"
            )
        if self.sentiment is not None and not -1.0 <= self.sentiment <= 1.0:
            raise ValueError(f"sentiment must be in [-1, 1], got {self.sentiment}")
        if self.failed_attempts < 0:
            raise ValueError(f"failed_attempts must be >= 0, got {self.failed_attempts}")
        if self.danger is not None and not (isinstance(self.danger, str) and self.danger.strip()):
            raise ValueError(f"danger must be a non-empty description, got {self.danger!r}")
        if self.amount is not None and _money(self.amount) < 0:
            raise ValueError(f"amount must be >= 0, got {self.amount}")
        for kind, _ in self.rule_cases:
            if kind not in ALWAYS_ESCALATE:
                raise ValueError(f"unknown rule case {kind!r}; one of {sorted(ALWAYS_ESCALATE)}")


@dataclass(frozen=True)
class RiskDecision:
    tier: str  # "automation" | "assistance" | "escalation" | "emergency"
    reasons: tuple[str, ...]
    needs_verification: bool = False  # the action should ask the customer to verify first

    def to_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "reasons": list(self.reasons)}


def _money(value: Decimal | float | int | str) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(f"amount must be a number, got {value!r}") from None


def assess(case: RiskCase, policy: RiskPolicy | None = None) -> RiskDecision:
    """Apply every rule to the case; the most severe tier wins and all reasons are kept."""
    policy = policy or RiskPolicy()
    found: list[tuple[str, str]] = []  # (tier, reason)

    if case.danger:
        found.append(("emergency", case.danger))

    ruled = dict(case.rule_cases)
    if case.request in ALWAYS_ESCALATE:
        also = f"the rules also found {ruled[case.request]!r}" if case.request in ruled else None
        found.append(("escalation", case_reason(case.request, also)))
    for kind, matched in case.rule_cases:
        if kind != case.request:
            found.append(("escalation", case_reason(kind, f"the rules found {matched!r}")))
    if case.sentiment is not None and case.sentiment <= policy.angry_sentiment:
        found.append(
            (
                "escalation",
                f"angry customer (sentiment {case.sentiment:.2f} is at or "
                f"below {policy.angry_sentiment:.2f})",
            )
        )
    if case.failed_attempts >= policy.max_failed_attempts:
        found.append(
            (
                "escalation",
                f"repeated failures ({case.failed_attempts} failed attempts, "
                f"limit {policy.max_failed_attempts})",
            )
        )
    if (
        case.request == "change_address"
        and case.address_target == "order"
        and case.order_status in ADDRESS_FIXED_STATUSES
    ):
        found.append(
            ("assistance", f"address change on an order that is already {case.order_status}")
        )
    # A cancellation refunds the order total, so it is reviewed like any other refund.
    if case.request in ("refund", "start_return", "cancel_order") and case.amount is not None:
        amount, limit = _money(case.amount), _money(policy.refund_review_amount)
        if amount > limit:
            found.append(("assistance", f"refund {amount} is above the review amount {limit}"))
    if case.request == "complaint":
        found.append(("assistance", "complaint (a person reviews the reply)"))

    needs_verification = case.request in NEEDS_VERIFICATION and not case.verified
    if not found:
        return RiskDecision(
            "automation", (f"routine {case.request.replace('_', ' ')} request",), needs_verification
        )
    # Most severe first, keeping the rule order within a tier.
    found.sort(key=lambda item: -TIERS.index(item[0]))
    return RiskDecision(found[0][0], tuple(reason for _, reason in found), needs_verification)
