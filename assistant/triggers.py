"""Decide whether a person must be brought in, from the signals of the latest turn.

A pure function over plain values, so every threshold is tested with a table of cases.
The first trigger that fires wins, in this order: imminent danger (the emergency tier, before
anything else), the customer asked for a person (always honoured), a message in a language the
assistant does not speak, a message understood too poorly, repeated not-understood messages,
the conversation going in circles (the same answer or the same customer message again and
again), a negative sentiment (VADER pushed down by the frustration signals), too many turns
without the goal met, and the risk check's tier.

Not-understood messages in a row are ``low_confidence_streak`` (its own, lower threshold):
each of them got the fallback answer, so ``loop`` counts every other repeated answer, such as
the same "I can only help with…" reply to a customer who keeps asking.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.thresholds import Thresholds

CUSTOMER_REQUEST = "customer_request"
NLU_CONFIDENCE = "nlu_confidence"
LOW_CONFIDENCE_STREAK = "low_confidence_streak"
SENTIMENT = "sentiment"
TURNS = "turns"
RISK = "risk"
LOOP = "loop"
LANGUAGE = "language"

# Tiers that need a person; "assistance" is the lowest, so it is the risk trigger's threshold.
HANDOFF_TIERS = ("assistance", "escalation", "emergency")
EMERGENCY = "emergency"


@dataclass(frozen=True)
class Signals:
    """What the policy observed. ``confidence``/``sentiment`` are None when not measured."""

    requested_person: bool = False
    # The request was to be called back ("can someone ring me"): the handoff asks for a phone.
    callback: bool = False
    confidence: float | None = None
    low_confidence_streak: int = 0
    sentiment: float | None = None
    turns_without_goal: int = 0
    risk_tier: str | None = None
    risk_reasons: tuple[str, ...] = ()
    danger: str | None = None  # e.g. "imminent danger: smoke and sparks" (assistant/danger.py)
    # Frustration signals that pushed ``sentiment`` down (assistant/frustration.py).
    frustration: tuple[str, ...] = ()
    # The assistant's latest answer / the customer's latest message, repeated this many times
    # in a row.
    repeated_answer: int = 0
    repeated_message: int = 0
    # ISO 639-1 code of a language other than English the latest message is written in.
    foreign_language: str | None = None


@dataclass(frozen=True)
class Trigger:
    """The trigger that fired, with the observed value and the threshold it crossed."""

    kind: str
    value: Any
    threshold: Any
    detail: str
    # A request to be called back: the handoff context's trigger carries ``callback: true``.
    callback: bool = False

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        if not self.callback:
            del found["callback"]  # only a call-back request says so
        return found


def decide(signals: Signals, thresholds: Thresholds) -> Trigger | None:
    """The first trigger that fires for these signals, or None to let the bot continue."""
    if signals.danger:
        return Trigger(RISK, EMERGENCY, HANDOFF_TIERS[0], f"{EMERGENCY}: {signals.danger}")
    if signals.requested_person:
        if signals.callback:
            return Trigger(
                CUSTOMER_REQUEST, True, True, "the customer asked to be called back", callback=True
            )
        return Trigger(CUSTOMER_REQUEST, True, True, "the customer asked for a person")
    if signals.foreign_language is not None:
        return Trigger(
            LANGUAGE,
            signals.foreign_language,
            "en",
            f"the customer writes in a language other than English ({signals.foreign_language})",
        )
    if signals.confidence is not None and signals.confidence < thresholds.nlu_handoff_confidence:
        return Trigger(
            NLU_CONFIDENCE,
            round(signals.confidence, 4),
            thresholds.nlu_handoff_confidence,
            f"the latest message was understood with confidence {signals.confidence:.2f}, "
            f"below {thresholds.nlu_handoff_confidence}",
        )
    if signals.low_confidence_streak >= thresholds.low_confidence_streak:
        return Trigger(
            LOW_CONFIDENCE_STREAK,
            signals.low_confidence_streak,
            thresholds.low_confidence_streak,
            f"{signals.low_confidence_streak} messages in a row were not understood",
        )
    repeats = max(signals.repeated_answer, signals.repeated_message)
    if repeats >= thresholds.loop_repeats:
        what = (
            "the assistant gave the same answer"
            if signals.repeated_answer >= signals.repeated_message
            else "the customer sent the same message"
        )
        return Trigger(LOOP, repeats, thresholds.loop_repeats, f"{what} {repeats} times in a row")
    if signals.sentiment is not None and signals.sentiment <= thresholds.sentiment_threshold:
        named = ", ".join(signals.frustration).replace("_", " ")
        why = f" ({named})" if named else ""
        return Trigger(
            SENTIMENT,
            round(signals.sentiment, 4),
            thresholds.sentiment_threshold,
            f"customer sentiment {signals.sentiment:.2f} is at or below "
            f"{thresholds.sentiment_threshold}{why}",
        )
    if signals.turns_without_goal >= thresholds.max_turns_without_goal:
        return Trigger(
            TURNS,
            signals.turns_without_goal,
            thresholds.max_turns_without_goal,
            f"{signals.turns_without_goal} messages without the customer's goal met",
        )
    if signals.risk_tier in HANDOFF_TIERS:
        reasons = "; ".join(signals.risk_reasons) or "risk check"
        return Trigger(RISK, signals.risk_tier, HANDOFF_TIERS[0], f"{signals.risk_tier}: {reasons}")
    return None
