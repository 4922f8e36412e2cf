"""The handoff context: the body the action server posts to ``POST /api/handoffs``.

docs/protocol.md ("Handoff intake") explains each field; this module is where they are defined
and checked. The action server builds a :class:`HandoffContext` and sends ``to_json()``; the
service reads the body with :meth:`HandoffContext.from_json`, so a body one side writes is a
body the other side accepts.

Turns, slots, the customer and the draft are JSON objects the agent console shows as they
come; they are checked for shape (a turn needs a string ``sender`` and ``text``), not retyped.

    ValueError
    └── ContextError(field, problem)    the first field that is missing or malformed
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
MAX_ID_LENGTH = 200
FIELDS = (
    "handoff_id",
    "conversation_id",
    "created_at",
    "trigger",
    "risk",
    "topic",
    "language",
    "summary",
    "customer",
    "slots",
    "turns",
    "sentiment",
    "draft",
    "redactions",
    "intents",
)
MAX_INTENT_LENGTH = 100
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


def _check_turn(turn: Any) -> JsonObject:
    turn = _object(turn, "turns")
    if not (isinstance(turn.get("sender"), str) and isinstance(turn.get("text"), str)):
        raise ContextError("turns", "each need a string sender and text")
    return dict(turn)


@dataclass(frozen=True)
class HandoffContext:
    """Everything an agent needs to take over one conversation."""

    handoff_id: str
    conversation_id: str
    trigger: Trigger
    risk: Risk
    created_at: str | None = None
    topic: str | None = None
    language: str | None = None
    summary: str | None = None
    customer: JsonObject | None = None
    slots: JsonObject | None = None
    turns: tuple[JsonObject, ...] = ()
    sentiment: Sentiment | None = None
    draft: JsonObject | None = None
    redactions: tuple[Redaction, ...] = field(default=())
    # The assistant's intent names, offered when the agent says at close what the customer
    # wanted; written only when there are some.
    intents: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not all(
            isinstance(name, str) and 0 < len(name) <= MAX_INTENT_LENGTH for name in self.intents
        ):
            raise ContextError("intents", "must be a list of intent names")
        for name in ("handoff_id", "conversation_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_LENGTH:
                raise ContextError(name, f"must be a string of 1 to {MAX_ID_LENGTH} characters")
        for name in ("created_at", "topic", "summary"):
            _text(getattr(self, name), name)
        language = self.language
        if language is not None and not (
            isinstance(language, str)
            and len(language) == 2
            and language.isascii()
            and language.isalpha()
            and language.islower()
        ):
            raise ContextError("language", "must be a two-letter ISO 639-1 code such as 'es'")
        for name in ("customer", "slots", "draft"):
            if getattr(self, name) is not None:
                _object(getattr(self, name), name)
        for turn in self.turns:
            _check_turn(turn)

    @classmethod
    def from_json(cls, body: Any) -> HandoffContext:
        """Parse a posted body; raises :class:`ContextError` naming the first bad field."""
        if not isinstance(body, Mapping):
            raise ContextError("body", "must be a JSON object")
        _only(body, FIELDS, "")
        # Ids first: a body without them is reported as such, whatever else is wrong.
        for name in ("handoff_id", "conversation_id"):
            _text(body.get(name), name, optional=False)
        turns = body.get("turns") or []
        redactions = body.get("redactions") or []
        intents = body.get("intents") or []
        for name, value in (("turns", turns), ("redactions", redactions), ("intents", intents)):
            if not isinstance(value, list):
                raise ContextError(name, "must be a list")
        sentiment = body.get("sentiment")
        return cls(
            handoff_id=body["handoff_id"],
            conversation_id=body["conversation_id"],
            trigger=Trigger.from_json(body.get("trigger")),
            risk=Risk.from_json(body.get("risk")),
            created_at=body.get("created_at"),
            topic=body.get("topic"),
            language=body.get("language"),
            summary=body.get("summary"),
            customer=_optional_object(body.get("customer"), "customer"),
            slots=_optional_object(body.get("slots"), "slots"),
            turns=tuple(_check_turn(turn) for turn in turns),
            sentiment=None if sentiment is None else Sentiment.from_json(sentiment),
            draft=_optional_object(body.get("draft"), "draft"),
            redactions=tuple(Redaction.from_json(item) for item in redactions),
            intents=tuple(intents),
        )

    def to_json(self) -> JsonObject:
        """The body to post: the fields of docs/protocol.md in order (``intents`` when any)."""
        body: JsonObject = {
            "handoff_id": self.handoff_id,
            "conversation_id": self.conversation_id,
            "created_at": self.created_at,
            "trigger": self.trigger.to_json(),
            "risk": self.risk.to_json(),
            "topic": self.topic,
            "language": self.language,
            "summary": self.summary,
            "customer": self.customer,
            "slots": self.slots,
            "turns": list(self.turns),
            "sentiment": None if self.sentiment is None else self.sentiment.to_json(),
            "draft": self.draft,
            "redactions": [item.to_json() for item in self.redactions],
        }
        if self.intents:
            body["intents"] = list(self.intents)
        return body
