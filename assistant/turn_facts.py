"""What the assistant made of the customer's latest message, read from the tracker after it.

The facts the handoff service keeps for each customer message (its ``turns`` table): the
intent and its confidence, the goal of the turn (assistant/goals.py), the topic, and what
recognises the customer when they come back (the order named, a hash of the email given;
contract/customer_keys.py, never the address itself). The REST channel
(assistant/turn_channel.py) sends them as one extra reply, ``{"custom": {"turn": {...}}}``.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY

from assistant.goals import NLU_FALLBACK, judge
from assistant.thresholds import Thresholds
from contract.customer_keys import email_hash, order_ref
from contract.topics import topic_of


def best_intent(parse_data: dict[str, Any]) -> tuple[str | None, float | None]:
    """The classifier's best real intent and its confidence. When the fallback replaced it,
    the best of the ranking (what the assistant took the message for, not understood)."""
    intent = parse_data.get("intent") or {}
    name = intent.get(INTENT_NAME_KEY)
    if name == NLU_FALLBACK:
        ranked = [
            r for r in parse_data.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name
        ]
        intent = ranked[0] if ranked else intent
        name = intent.get(INTENT_NAME_KEY)
    confidence = intent.get("confidence")
    return name, round(float(confidence), 4) if confidence is not None else None


def turn_facts(tracker: DialogueStateTracker, thresholds: Thresholds) -> dict[str, Any] | None:
    """The facts of the turn that answered the latest customer message; None before any."""
    turn: list[Any] = []
    latest = None
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            latest = event
            break
        turn.append(event)
    if latest is None:
        return None
    intent, confidence = best_intent(latest.parse_data or {})
    goal = judge(
        reversed(turn),
        latest.intent_name,
        tracker.active_loop_name,
        met_actions=thresholds.goal_met_actions,
        open_actions=thresholds.goal_open_actions,
        failed_actions=thresholds.goal_failed_actions,
    )
    email = tracker.get_slot("email")
    order = tracker.get_slot("order_id")
    return {
        "intent": intent,
        "confidence": confidence,
        "goal": goal,
        # The message's own topic, else the request under way (a form's answer, "NW-10007").
        "topic": topic_of(latest.intent_name) or topic_of(tracker.get_slot("request")),
        "order_ref": order_ref(order) if isinstance(order, str) else None,
        "email_hash": email_hash(email) if isinstance(email, str) else None,
    }
