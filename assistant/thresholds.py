"""Load the handoff thresholds from config.yml, the one place conversation designers edit.

The thresholds are the parameters of ``assistant.policy.HandoffPolicy`` in config.yml. The
policy receives them from Rasa; the action server (which never sees Rasa's config) loads the
same values with :func:`load_thresholds`, so both sides always agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.goals import FAILED_ACTIONS, MET_ACTIONS, OPEN_ACTIONS, GoalsError, names

POLICY_NAME = "assistant.policy.HandoffPolicy"


class ThresholdsError(ValueError):
    """config.yml has no handoff policy, or one of its thresholds is missing or malformed."""


@dataclass(frozen=True)
class Thresholds:
    """Every number that decides when a person is brought in (see docs/designers.md)."""

    nlu_fallback_threshold: float = 0.45
    nlu_handoff_confidence: float = 0.2
    low_confidence_streak: int = 2
    sentiment_threshold: float = -0.6
    max_turns_without_goal: int = 6
    refund_review_amount: float = 150.0
    angry_sentiment: float = -0.4
    max_failed_attempts: int = 3
    # Frustration signals (assistant/frustration.py): each one that fires lowers the score the
    # sentiment trigger reads by its weight.
    frustration_caps_ratio: float = 0.7
    frustration_caps_min_letters: int = 12
    frustration_punctuation_run: int = 3
    frustration_caps_weight: float = 0.3
    frustration_punctuation_weight: float = 0.2
    frustration_repeated_contact_weight: float = 0.2
    frustration_waiting_weight: float = 0.3
    frustration_sarcasm_weight: float = 0.5
    # The same assistant answer, or the same customer message, this many times in a row.
    loop_repeats: int = 3
    # A message is taken as another language only at this confidence and with this many words.
    language_min_confidence: float = 0.9
    language_min_words: int = 2
    # What a turn achieved (assistant/goals.py): the actions and responses that meet the
    # customer's goal (the turn trigger counts from the last one), leave it under way, fail it.
    goal_met_actions: tuple[str, ...] = MET_ACTIONS
    goal_open_actions: tuple[str, ...] = OPEN_ACTIONS
    goal_failed_actions: tuple[str, ...] = FAILED_ACTIONS

    @classmethod
    def from_mapping(cls, params: Mapping[str, Any]) -> Thresholds:
        """Build from the policy's parameters; unrelated keys (name, priority) are ignored."""
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            if field.name not in params:
                continue
            raw = params[field.name]
            if field.name.endswith("_actions"):
                try:
                    values[field.name] = names(field.name, raw)
                except GoalsError as error:
                    raise ThresholdsError(str(error)) from error
                continue
            kind = int if field.type in (int, "int") else float
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                raise ThresholdsError(f"{field.name} must be a number, got {raw!r}")
            if kind is int and raw != int(raw):
                raise ThresholdsError(f"{field.name} must be a whole number, got {raw!r}")
            values[field.name] = kind(raw)
        thresholds = cls(**values)
        thresholds.check()
        return thresholds

    def check(self) -> None:
        """Reject values that would make a trigger fire always or never."""
        for name in ("nlu_fallback_threshold", "nlu_handoff_confidence"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ThresholdsError(f"{name} must be between 0 and 1")
        if self.nlu_handoff_confidence > self.nlu_fallback_threshold:
            raise ThresholdsError("nlu_handoff_confidence must not exceed nlu_fallback_threshold")
        for name in ("sentiment_threshold", "angry_sentiment"):
            if not -1.0 <= getattr(self, name) <= 1.0:
                raise ThresholdsError(f"{name} must be between -1 and 1")
        for name in ("low_confidence_streak", "max_turns_without_goal", "max_failed_attempts"):
            if getattr(self, name) < 1:
                raise ThresholdsError(f"{name} must be at least 1")
        if not 0.0 < self.frustration_caps_ratio <= 1.0:
            raise ThresholdsError("frustration_caps_ratio must be above 0 and at most 1")
        if not 0.5 <= self.language_min_confidence <= 1.0:
            raise ThresholdsError("language_min_confidence must be between 0.5 and 1")
        for name in ("frustration_caps_min_letters", "language_min_words"):
            if getattr(self, name) < 1:
                raise ThresholdsError(f"{name} must be at least 1")
        if self.frustration_punctuation_run < 2:
            raise ThresholdsError("frustration_punctuation_run must be at least 2")
        if self.loop_repeats < 2:
            raise ThresholdsError("loop_repeats must be at least 2")
        for field in dataclasses.fields(self):
            if field.name.endswith("_weight") and not 0.0 <= getattr(self, field.name) <= 2.0:
                raise ThresholdsError(f"{field.name} must be between 0 and 2")
        if self.refund_review_amount < 0:
            raise ThresholdsError("refund_review_amount must not be negative")


def load_thresholds(config_path: str | Path = "config.yml") -> Thresholds:
    """Read the handoff policy's parameters from a Rasa config file."""
    path = Path(config_path)
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise ThresholdsError(f"cannot read {path}: {error}") from error
    for policy in config.get("policies") or []:
        if isinstance(policy, dict) and policy.get("name") == POLICY_NAME:
            return Thresholds.from_mapping(policy)
    raise ThresholdsError(f"{path} has no {POLICY_NAME} in its policies")
