"""Imminent danger in the handoff action: which danger, what to say first, who can take it.

Pure helpers over the tracker and the handoff service's answer; the detection itself is
``assistant.danger.danger_of``, the very function the handoff policy calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from actions.tracking import thresholds
from assistant.danger import Danger, danger_of
from assistant.triggers import Signals, decide

SAFETY = "utter_emergency_safety"
SAFETY_SELF_HARM = "utter_emergency_safety_self_harm"
UNSTAFFED = "utter_emergency_unstaffed"


def danger_now(tracker: Tracker) -> Danger | None:
    """The danger in the customer's latest message, by the rules and the classifier's intent."""
    latest = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    return danger_of(latest.get("text") or "", intent)


def emergency_trigger(danger: Danger) -> dict[str, Any]:
    """The trigger the handoff policy records for this danger."""
    trigger = decide(Signals(danger=danger.reason), thresholds())
    assert trigger is not None  # a danger always fires
    return trigger.as_dict()


def safety_response(danger: Danger) -> str:
    """The domain response said before anything else (designers edit its wording)."""
    return SAFETY_SELF_HARM if danger.self_harm else SAFETY


def nobody_can_take(answer: dict[str, Any] | None) -> bool:
    """True when the service says no agent is online or it is outside business hours."""
    answer = answer or {}
    return answer.get("agents_online") == 0 or answer.get("business_hours") is False


def words_in_danger(events: Iterable[dict[str, Any]]) -> str | None:
    """What the customer wrote about the danger: their latest message that reads as one."""
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        text = event.get("text") or ""
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if not text.startswith("/") and danger_of(text, intent) is not None:
            return text
    return None
