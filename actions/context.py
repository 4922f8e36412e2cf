"""Build the handoff context (docs/protocol.md, "Handoff intake") from a Rasa tracker.

Pure: tracker events, slots and the decisions already taken go in; the JSON body the action
posts comes out. Personal data (emails, phones, card numbers) is replaced with placeholders in
every text, entity value, slot and the summary; the originals travel only in ``redactions``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from actions.risk import RiskDecision
from actions.summary import summary, tried_from_events
from assistant.languages import ENGLISH, foreign_language
from assistant.pii import redact_many
from assistant.sentiment import score_of
from assistant.thresholds import Thresholds

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
# Gateway commands that mean something to an agent become a readable customer turn.
COMMAND_TURNS = {"request_human": "(asked to talk to a person)"}
# Slots that must never reach an agent: Rasa keeps the session metadata (with the customer
# token) in a slot, and anything named like a credential stays out too.
HIDDEN_SLOTS = frozenset({"session_started_metadata"})
_CREDENTIAL_SLOT = re.compile(r"token|secret|password", re.IGNORECASE)
MAX_TREND = 10
# Fields the assistant itself fills with codes or times: never personal data, never redacted.
_NOT_TEXT = frozenset(
    {
        "sender",
        "timestamp",
        "intent",
        "confidence",
        "entity",
        "kind",
        "sentiment",
        "threshold",
        "signals",
        "language",
    }
)


def iso_utc(moment: float | datetime) -> str:
    """``2026-11-23T05:00:00.123Z`` for a unix timestamp or an aware datetime."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("now must be timezone-aware (UTC)")
        value = moment.astimezone(timezone.utc)
    else:
        value = datetime.fromtimestamp(float(moment), tz=timezone.utc)
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sentiment_of(parse_data: dict) -> float | None:
    raw = parse_data.get("sentiment")
    value = score_of(raw) if isinstance(raw, dict) else score_of({"score": raw})
    return value if value is not None and math.isfinite(value) else None


def _signals_of(parse_data: dict) -> list[str]:
    """The frustration signals the sentiment component found in a message."""
    signals = (parse_data.get("sentiment") or {}).get("signals")
    return [str(s) for s in signals] if isinstance(signals, list) else []


def conversation_language(events: Iterable[dict], thresholds: Thresholds) -> str:
    """ISO 639-1 code of the latest customer message confidently in another language; "en"."""
    for event in reversed(list(events)):
        if event.get("event") == "user":
            code = foreign_language((event.get("parse_data") or {}).get("language"), thresholds)
            if code is not None:
                return code
    return ENGLISH


def _offered_buttons(event: dict) -> dict[str, str]:
    buttons = (event.get("data") or {}).get("buttons") or []
    return {b.get("payload"): b.get("title") for b in buttons if isinstance(b, dict)}


def _customer_turn(event: dict, text: str) -> dict[str, Any]:
    parse_data = event.get("parse_data") or {}
    intent = parse_data.get("intent") or {}
    return {
        "sender": "customer",
        "text": text,
        "timestamp": iso_utc(event.get("timestamp") or 0),
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "entities": [
            {"entity": e.get("entity"), "value": e.get("value")}
            for e in parse_data.get("entities") or []
            if isinstance(e, dict)
        ],
        "sentiment": _sentiment_of(parse_data),
        "signals": _signals_of(parse_data),
    }


def turns_from_events(events: Iterable[dict]) -> list[dict[str, Any]]:
    """Customer and bot turns, oldest first, before redaction.

    Messages starting with "/" are gateway commands and are skipped, except a quick reply the
    bot had just offered (shown with the button's title) and the commands in COMMAND_TURNS.
    """
    turns: list[dict[str, Any]] = []
    offered: dict[str, str] = {}
    for event in events:
        kind = event.get("event")
        if kind == "bot" and event.get("text"):
            turns.append(
                {
                    "sender": "bot",
                    "text": event["text"],
                    "timestamp": iso_utc(event.get("timestamp") or 0),
                }
            )
            offered = _offered_buttons(event)
        elif kind == "bot":
            offered = _offered_buttons(event) or offered
        elif kind == "user":
            text = (event.get("text") or "").strip()
            if not text.startswith("/"):
                turns.append(_customer_turn(event, text))
                continue
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if offered.get(text):
                turns.append(_customer_turn(event, offered[text]))
            elif intent in COMMAND_TURNS:
                turns.append(_customer_turn(event, COMMAND_TURNS[intent]))
    return turns


def handoff_id(conversation_id: str, events: list[dict]) -> str:
    """Stable per conversation and triggering user event, so a retried action posts the same id."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return f"{conversation_id}:{last_user}"


def sentiment_block(turns: list[dict]) -> dict[str, Any]:
    scores = [
        t["sentiment"]
        for t in turns
        if t["sender"] == "customer" and t.get("sentiment") is not None
    ]
    if not scores:
        return {"latest": None, "mean": None, "trend": []}
    return {
        "latest": round(scores[-1], 3),
        "mean": round(sum(scores) / len(scores), 3),
        "trend": [round(s, 3) for s in scores[-MAX_TREND:]],
    }


def json_safe_slots(slots: dict) -> dict[str, Any]:
    """Slots with a value, minus hidden ones, converted to plain JSON types."""
    kept = {
        name: value
        for name, value in (slots or {}).items()
        if value is not None and name not in HIDDEN_SLOTS and not _CREDENTIAL_SLOT.search(name)
    }
    return json.loads(json.dumps(kept, default=str))


def _strings(value: Any, path: tuple = ()) -> Iterable[tuple[tuple, str]]:
    """Every string inside a JSON value, with the path to put it back."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in _NOT_TEXT:
                continue
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _replace(value: Any, path: tuple, new: str) -> Any:
    if not path:
        return new
    value[path[0]] = _replace(value[path[0]], path[1:], new)
    return value


def _redact_documents(documents: list[Any]) -> tuple[list[Any], list[dict[str, str]]]:
    """Redact all strings of several JSON values with one numbering, in document order."""
    located = [
        (doc_index, path, text)
        for doc_index, doc in enumerate(documents)
        for path, text in _strings(doc)
    ]
    clean, found = redact_many([text for _, _, text in located])
    for (doc_index, path, _), new in zip(located, clean, strict=True):
        documents[doc_index] = _replace(documents[doc_index], path, new)
    unique: dict[str, dict[str, str]] = {}
    for item in found:
        unique.setdefault(
            item.placeholder,
            {"placeholder": item.placeholder, "kind": item.kind, "value": item.value},
        )
    return documents, list(unique.values())


def build_context(
    *,
    conversation_id: str,
    events: list[dict],
    slots: dict,
    trigger: dict,
    risk: RiskDecision,
    customer: dict | None,
    topic: str,
    draft: dict | None,
    now: datetime,
    language: str = ENGLISH,
    intents: list[str] | None = None,
) -> dict[str, Any]:
    """The handoff intake body for this conversation, redacted, ready to POST.

    ``language`` is the ISO 639-1 code the customer writes in (see conversation_language).
    ``intents``, the assistant's intents, let the agent say at close what the customer wanted.
    """
    if not conversation_id:
        raise ValueError("conversation_id is required")
    if not isinstance(trigger, dict) or trigger.get("kind") not in TRIGGER_KINDS:
        raise ValueError(f"trigger.kind must be one of {TRIGGER_KINDS}, got {trigger!r}")
    if not isinstance(risk, RiskDecision):
        raise TypeError("risk must be a RiskDecision")
    if risk.tier not in HANDOFF_TIERS:
        # The service refuses any other tier: an automation-tier request is not handed off.
        raise ValueError(f"a handoff needs risk tier {', '.join(HANDOFF_TIERS)}, got {risk.tier}")
    if not (isinstance(language, str) and len(language) == 2 and language.isalpha()):
        raise ValueError(f"language must be an ISO 639-1 code, got {language!r}")
    turns = turns_from_events(events)
    raw_customer = {
        "verified": False,
        "method": None,
        "customer_id": None,
        "name": None,
        **(customer or {}),
    }
    documents, redactions = _redact_documents(
        [
            turns,
            json_safe_slots(slots),
            raw_customer,
            dict(trigger),
            json.loads(json.dumps(draft, default=str)) if draft is not None else None,
        ]
    )
    turns, clean_slots, clean_customer, clean_trigger, clean_draft = documents
    return {
        "handoff_id": handoff_id(conversation_id, events),
        "conversation_id": conversation_id,
        "created_at": iso_utc(now),
        "trigger": clean_trigger,
        "risk": risk.to_json(),
        "topic": topic,
        "language": language.lower(),
        "summary": summary(
            turns,
            topic,
            clean_customer,
            clean_trigger,
            risk,
            clean_slots,
            tried_from_events(events),
        ),
        "customer": clean_customer,
        "slots": clean_slots,
        "turns": turns,
        "sentiment": sentiment_block(turns),
        "draft": clean_draft,
        "redactions": redactions,
        **({"intents": sorted(set(intents))} if intents else {}),
    }


def intent_names(domain: dict[str, Any]) -> list[str]:
    """The intents of a domain as rasa-sdk passes it (names, or one-key dicts with options)."""
    names = []
    for intent in domain.get("intents") or []:
        name = intent if isinstance(intent, str) else next(iter(intent), None)
        if isinstance(name, str):
            names.append(name)
    return names
