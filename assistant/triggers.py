"""Decide whether a person must be brought in, from the signals of the latest turn.

A pure function over plain values, so every threshold is tested with a table of cases.
The first trigger that fires wins, in this order: imminent danger (the emergency tier, before
anything else), the customer asked for a person (always honoured), a message understood too
poorly, repeated not-understood messages, a negative sentiment, too many turns without the goal
met, and the risk check's tier.
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

# Tiers that need a person; "assistance" is the lowest, so it is the risk trigger's threshold.
HANDOFF_TIERS = ("assistance", "escalation", "emergency")
EMERGENCY = "emergency"


@dataclass(frozen=True)
class Signals:
    """What the policy observed. ``confidence``/``sentiment`` are None when not measured."""

    requested_person: bool = False
    confidence: float | None = None
    low_confidence_streak: int = 0
    sentiment: float | None = None
    turns_without_goal: int = 0
    risk_tier: str | None = None
    risk_reasons: tuple[str, ...] = ()
    danger: str | None = None  # e.g. "imminent danger: smoke and sparks" (assistant/danger.py)


@dataclass(frozen=True)
class Trigger:
    """The trigger that fired, with the observed value and the threshold it crossed."""

    kind: str
    value: Any
    threshold: Any
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def decide(signals: Signals, thresholds: Thresholds) -> Trigger | None:
    """The first trigger that fires for these signals, or None to let the bot continue."""
    if signals.danger:
        return Trigger(RISK, EMERGENCY, HANDOFF_TIERS[0], f"{EMERGENCY}: {signals.danger}")
    if signals.requested_person:
        return Trigger(CUSTOMER_REQUEST, True, True, "the customer asked for a person")
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
    if signals.sentiment is not None and signals.sentiment <= thresholds.sentiment_threshold:
        return Trigger(
            SENTIMENT,
            round(signals.sentiment, 4),
            thresholds.sentiment_threshold,
            f"customer sentiment {signals.sentiment:.2f} is at or below "
            f"{thresholds.sentiment_threshold}",
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
