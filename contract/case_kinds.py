"""Cases a person must own: their kinds, the words that name them, and how a reason says so.

The risk check (``actions/risk.py``) writes one reason per case, "<label> needs a person
...", and the handoff service reads those reasons back to place the conversation in its
queue (``handoff/core/triage.py``). Both sides build and read the reason here, so a change
of wording on one side cannot silently drop a legal threat to the back of the queue.
"""

from __future__ import annotations

from collections.abc import Iterable

# Request kind -> the words an agent reads in the risk reasons.
CASE_LABELS: dict[str, str] = {
    "payment_dispute": "payment dispute",
    "chargeback": "chargeback",
    "legal_request": "legal request",
    "data_protection": "data protection request",
    "harm_complaint": "complaint about harm",
    "fraud": "fraud or unauthorised use",
    "regulator_complaint": "complaint to a regulator",
}
_NEEDS_A_PERSON = " needs a person"


def case_reason(kind: str, found: str | None = None) -> str:
    """The risk reason for a case; ``found`` is the customer's words the rules matched."""
    if kind not in CASE_LABELS:
        raise ValueError(f"unknown case kind {kind!r}; one of {sorted(CASE_LABELS)}")
    words = f" ({found})" if found else ""
    return f"{CASE_LABELS[kind]}{_NEEDS_A_PERSON}{words}"


def case_kinds_in(reasons: Iterable[object]) -> list[str]:
    """The case kinds named by these risk reasons, in order, each once; other reasons ignored."""
    kinds: list[str] = []
    for reason in reasons:
        if not isinstance(reason, str):
            continue
        for kind, label in CASE_LABELS.items():
            if reason.startswith(label + _NEEDS_A_PERSON) and kind not in kinds:
                kinds.append(kind)
    return kinds
