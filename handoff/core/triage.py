"""Where a handoff stands in the queue: its class by consequence, and the words that say why.

Pure: the handoff context the action server sent (trigger, risk tier and reasons, sentiment)
goes in, a ``Placement`` comes out. The classes, most consequential first:

0. ``emergency``      the customer is in danger now (risk tier emergency)
1. ``sensitive``      harm, a legal threat, fraud, data protection, a regulator complaint
2. ``payment``        a payment dispute or a chargeback
3. ``angry``          sentiment at or below the service's negative threshold, or the
                      sentiment trigger fired
4. ``requested``      the customer asked for a person
5. ``not_understood`` messages not understood, the conversation going in circles, repeated
                      failures
6. ``other``          everything else (a refund to review, a long conversation, a language)

The class number is the queue priority; within a class the longest wait goes first (the
desk sorts by priority, then first-come rank). When several classes apply the most
consequential one places the handoff and the others are kept as ``also``. A recontact (the
customer came back about the same thing within days) goes one step up, never into the
emergency class: its priority is its class number less one, and at least 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract.case_kinds import case_kinds_in

CLASSES = (
    "emergency",
    "sensitive",
    "payment",
    "angry",
    "requested",
    "not_understood",
    "other",
)
_SENSITIVE = {
    "harm_complaint": "Harm or damage reported",
    "legal_request": "Legal threat",
    "fraud": "Fraud or unauthorised use",
    "data_protection": "Data protection request",
    "regulator_complaint": "Complaint to a regulator",
}
_PAYMENT = {"payment_dispute": "Payment dispute", "chargeback": "Chargeback"}
_DANGER_PREFIXES = ("emergency: ", "imminent danger: ")
_COUNTS = {1: "once", 2: "twice"}
RECONTACT_WORDS = "Came back about the same thing"


@dataclass(frozen=True)
class Placement:
    """A handoff's queue class (its index is the priority) and why, in words for the card."""

    klass: str
    why: str
    also: tuple[str, ...] = ()
    recontact: bool = False  # raised one step: the customer came back about this

    @property
    def priority(self) -> int:
        index = CLASSES.index(self.klass)
        return max(1, index - 1) if self.recontact and index > 0 else index


def _number(value: Any) -> float | None:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number else None


def _signed(value: float) -> str:
    """-0.79 written with the typographic minus sign (U+2212) a reader expects."""
    return f"{value:.2f}".replace("-", "\u2212")


def _times(value: Any) -> str:
    count = _number(value)
    if count is None:
        return "repeatedly"
    return _COUNTS.get(int(count), f"{int(count)} times")


def _danger(trigger: dict[str, Any], reasons: list[Any]) -> str:
    said = next((r for r in reasons if isinstance(r, str) and r), None) or trigger.get("detail")
    text = str(said or "the customer may be in danger")
    for prefix in _DANGER_PREFIXES:
        text = text.removeprefix(prefix)
    return f"Emergency: {text}"


def _not_understood(kind: Any, trigger: dict[str, Any], reasons: list[Any]) -> str | None:
    value = trigger.get("value")
    if kind == "low_confidence_streak":
        return f"Not understood {_times(value)} in a row"
    if kind == "nlu_confidence":
        confidence = _number(value)
        return "Not understood" + (f" (confidence {confidence:.2f})" if confidence else "")
    if kind == "loop":
        return f"Going in circles (the same message {_times(value)})"
    failures = next(
        (r for r in reasons if isinstance(r, str) and r.startswith("repeated failures")), None
    )
    return failures[0].upper() + failures[1:] if failures else None


def _other(kind: Any, trigger: dict[str, Any], tier: Any, reasons: list[Any]) -> str:
    if kind == "language":
        return f"Writes in another language ({trigger.get('value') or 'unknown'})"
    if kind == "turns":
        return f"Long conversation ({trigger.get('value')} messages without the goal met)"
    first = next((r for r in reasons if isinstance(r, str) and r), None)
    if first:
        return first[0].upper() + first[1:]
    return "Needs a person" if tier in (None, "escalation") else "A person reviews the reply"


def _part(context: dict[str, Any], name: str) -> dict[str, Any]:
    value = context.get(name)
    return value if isinstance(value, dict) else {}


def place(context: dict[str, Any], negative_threshold: float, recontact: bool = False) -> Placement:
    """The queue class of a handoff and why, from its context; unknown parts are ignored.
    ``recontact``: the customer came back about the same thing (one step up)."""
    trigger, risk, sentiment = (_part(context, name) for name in ("trigger", "risk", "sentiment"))
    listed = risk.get("reasons")
    reasons: list[Any] = listed if isinstance(listed, list) else []
    kind, tier = trigger.get("kind"), risk.get("tier")
    found: list[tuple[str, str]] = []
    if tier == "emergency":
        found.append(("emergency", _danger(trigger, reasons)))
    cases = case_kinds_in(reasons)
    found += [("sensitive", _SENSITIVE[k]) for k in cases if k in _SENSITIVE]
    found += [("payment", _PAYMENT[k]) for k in cases if k in _PAYMENT]
    latest = _number(sentiment.get("latest"))
    if kind == "sentiment" and _number(trigger.get("value")) is not None:
        latest = _number(trigger.get("value"))
    if latest is not None and (kind == "sentiment" or latest <= negative_threshold):
        found.append(("angry", f"Angry customer (sentiment {_signed(latest)})"))
    elif kind == "sentiment":
        found.append(("angry", "Angry customer"))
    if kind == "customer_request":
        found.append(("requested", "Asked for a person"))
    stuck = _not_understood(kind, trigger, reasons)
    if stuck is not None:
        found.append(("not_understood", stuck))
    if not found:
        found.append(("other", _other(kind, trigger, tier, reasons)))
    found.sort(key=lambda item: CLASSES.index(item[0]))
    (klass, why), rest = found[0], found[1:]
    also = tuple(words for _, words in rest) + ((RECONTACT_WORDS,) if recontact else ())
    return Placement(klass, why, also, recontact)
