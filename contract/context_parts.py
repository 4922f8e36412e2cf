"""The parts of the handoff context (contract/handoff_context.py): trigger, risk, redactions,
sentiment, and the checks they share.

    ValueError
    └── ContextError(field, problem)    the first field that is missing or malformed
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TRIGGER_KINDS = (
    "nlu_confidence",
    "low_confidence_streak",
    "sentiment",
    "turns",
    "risk",
    "customer_request",
    "loop",
    "language",
)
HANDOFF_TIERS = ("assistance", "escalation", "emergency")
JsonObject = dict[str, Any]
Scalar = str | int | float | bool | None


class ContextError(ValueError):
    """A field of the context is missing or malformed; ``field`` is its dotted name."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field = field


def _object(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ContextError(name, "must be an object")
    return value


def _only(data: Mapping[str, Any], allowed: tuple[str, ...], name: str) -> None:
    for key in data:
        if key not in allowed:
            raise ContextError(f"{name}.{key}" if name else str(key), "is not a field")


def _text(value: Any, name: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ContextError(name, "must be a string" + (" or null" if optional else ""))
    return value


def _number(value: Any, name: str) -> float | None:
    if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
        raise ContextError(name, "must be a number")
    return value


def _optional_object(value: Any, name: str) -> JsonObject | None:
    return None if value is None else dict(_object(value, name))


@dataclass(frozen=True)
class Trigger:
    """Why the conversation is handed off: the signal, its value and the threshold it crossed."""

    kind: str
    value: Scalar = None
    threshold: Scalar = None
    detail: str | None = None
    callback: bool = False  # the customer asked to be called back

    def __post_init__(self) -> None:
        if not isinstance(self.callback, bool):
            raise ContextError("trigger.callback", "must be true or false")
        if self.kind not in TRIGGER_KINDS:
            raise ContextError("trigger.kind", f"must be one of {', '.join(TRIGGER_KINDS)}")
        for name in ("value", "threshold"):
            if not isinstance(getattr(self, name), str | int | float | bool | None):
                raise ContextError(f"trigger.{name}", "must be a string, number, boolean or null")
        _text(self.detail, "trigger.detail")

    @classmethod
    def from_json(cls, data: Any) -> Trigger:
        data = _object(data, "trigger")
        _only(data, ("kind", "value", "threshold", "detail", "callback"), "trigger")
        return cls(
            data.get("kind"),
            data.get("value"),
            data.get("threshold"),
            data.get("detail"),
            data.get("callback", False),
        )

    def to_json(self) -> JsonObject:
        found: JsonObject = {
            "kind": self.kind,
            "value": self.value,
            "threshold": self.threshold,
            "detail": self.detail,
        }
        if self.callback:  # only a call-back request says so
            found["callback"] = True
        return found


@dataclass(frozen=True)
class Risk:
    """The risk tier the action server decided, with every reason it found."""

    tier: str
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.tier not in HANDOFF_TIERS:
            raise ContextError("risk.tier", "must be 'emergency', 'escalation' or 'assistance'")
        if not all(isinstance(reason, str) for reason in self.reasons):
            raise ContextError("risk.reasons", "must be a list of strings")

    @classmethod
    def from_json(cls, data: Any) -> Risk:
        data = _object(data, "risk")
        _only(data, ("tier", "reasons"), "risk")
        reasons = data.get("reasons") or []
        if not isinstance(reasons, list):
            raise ContextError("risk.reasons", "must be a list of strings")
        return cls(data.get("tier"), tuple(reasons))

    def to_json(self) -> JsonObject:
        return {"tier": self.tier, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Redaction:
    """A placeholder in the texts and the personal data it stands for (stored apart)."""

    placeholder: str
    value: str
    kind: str | None = None

    def __post_init__(self) -> None:
        if not (isinstance(self.placeholder, str) and isinstance(self.value, str)):
            raise ContextError("redactions", "each need a string placeholder and value")
        _text(self.kind, "redactions.kind")

    @classmethod
    def from_json(cls, data: Any) -> Redaction:
        data = _object(data, "redactions")
        return cls(data.get("placeholder"), data.get("value"), data.get("kind"))

    def to_json(self) -> JsonObject:
        return {"placeholder": self.placeholder, "kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class Sentiment:
    """The customer's sentiment scores: the latest, the mean and the last few in order."""

    latest: float | None = None
    mean: float | None = None
    trend: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        _number(self.latest, "sentiment.latest")
        _number(self.mean, "sentiment.mean")
        for score in self.trend:
            _number(score, "sentiment.trend")

    @classmethod
    def from_json(cls, data: Any) -> Sentiment:
        data = _object(data, "sentiment")
        trend = data.get("trend") or []
        if not isinstance(trend, list):
            raise ContextError("sentiment.trend", "must be a list of numbers")
        return cls(data.get("latest"), data.get("mean"), tuple(trend))

    def to_json(self) -> JsonObject:
        return {"latest": self.latest, "mean": self.mean, "trend": list(self.trend)}
