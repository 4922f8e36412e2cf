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

from contract.context_parts import (
    HANDOFF_TIERS,
    TRIGGER_KINDS,
    ContextError,
    JsonObject,
    Redaction,
    Risk,
    Sentiment,
    Trigger,
    _object,
    _only,
    _optional_object,
    _text,
)

__all__ = [
    "FIELDS",
    "HANDOFF_TIERS",
    "TRIGGER_KINDS",
    "ContextError",
    "HandoffContext",
    "Redaction",
    "Risk",
    "Sentiment",
    "Trigger",
]

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
