"""The kind of risk that sent a handoff to a person, as one word from a short list.

The risk check writes its reasons as sentences with the values it saw ("refund 200.00 is
above the review amount 150.00"), which suit the agent's card but not a count over time: a
figure by reason needs a fixed vocabulary. Pure: the handoff's ``risk`` part goes in, one of
``RISK_REASONS`` comes out, for the most severe reason (the risk check lists it first).
"""

from __future__ import annotations

from typing import Any

from contract.case_kinds import CASE_LABELS, case_kinds_in

NONE = "none"  # a routine request: the handoff came from another trigger
OTHER = "other"  # a reason this list does not know (e.g. the gateway's own handoffs)

# Reason prefix (as actions/risk.py writes it) -> its word.
_PREFIXES = {
    "imminent danger": "emergency",
    "emergency": "emergency",
    "angry customer": "angry_customer",
    "repeated failures": "repeated_failures",
    "address change on an order": "address_change",
    "refund ": "refund_review",
    "complaint (": "complaint",
}
RISK_REASONS = (
    "emergency",
    *CASE_LABELS,
    "angry_customer",
    "repeated_failures",
    "address_change",
    "refund_review",
    "complaint",
    NONE,
    OTHER,
)


def risk_reason(risk: Any) -> str:
    """The word for the first (most severe) risk reason of a handoff's ``risk`` part."""
    if not isinstance(risk, dict):
        return NONE
    if risk.get("tier") == "emergency":
        return "emergency"
    reasons = [r for r in risk.get("reasons") or () if isinstance(r, str) and r.strip()]
    reasons = [r for r in reasons if not r.startswith("routine ")]
    if not reasons:
        return NONE
    first = reasons[0]
    kinds = case_kinds_in([first])
    if kinds:
        return kinds[0]
    return next((word for prefix, word in _PREFIXES.items() if first.startswith(prefix)), OTHER)
