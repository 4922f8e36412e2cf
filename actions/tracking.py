"""What the actions share: reading the tracker, the settings, the shop and the risk check.

Everything here is a small function of a tracker (or of plain values), so the actions stay
a few lines each. Settings come from actions/settings.py when an action runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.risk import RiskCase, RiskDecision, RiskPolicy, assess
from actions.settings import Settings
from actions.shop import Shop
from assistant.sentiment import score_of
from assistant.thresholds import Thresholds, load_thresholds
from contract.topics import topic_of as topic_for


@functools.lru_cache(maxsize=4)
def _thresholds_at(path: Path) -> Thresholds:
    return load_thresholds(path)


def thresholds() -> Thresholds:
    """The thresholds in config.yml (the same values the handoff policy uses)."""
    return _thresholds_at(Settings.from_env().config_path)


def risk_policy() -> RiskPolicy:
    t = thresholds()
    return RiskPolicy(
        refund_review_amount=t.refund_review_amount,
        angry_sentiment=t.angry_sentiment,
        max_failed_attempts=t.max_failed_attempts,
    )


def shop() -> Shop:
    """The demo shop at ``NW_SHOP_DB`` (default ``var/shop.db``)."""
    return Shop()


def latest_sentiment(tracker: Tracker) -> float | None:
    """The sentiment score (VADER pushed down by frustration signals) of the latest message."""
    return score_of((tracker.latest_message or {}).get("sentiment"))


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def request_text(tracker: Tracker, intent: str) -> str | None:
    """What the customer said when they made this request (not a later form answer)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name == intent:
                return event.get("text")
    return None


def wants_callback(tracker: Tracker) -> bool:
    """Whether the customer asked to be called back: the handoff trigger says ``callback``."""
    trigger = tracker.get_slot("handoff_trigger")
    return isinstance(trigger, dict) and trigger.get("callback") is True


def failed_attempts(tracker: Tracker) -> int:
    value = tracker.get_slot("failed_attempts")
    return int(value) if isinstance(value, (int, float)) else 0


def is_verified(tracker: Tracker) -> bool:
    return tracker.get_slot("verified") is True


def topic_of(tracker: Tracker) -> str:
    """The topic of the conversation: the latest request, else the latest intent."""
    request = tracker.get_slot("request") or latest_intent(tracker) or ""
    return topic_for(request) or "general"


def assess_request(tracker: Tracker, request: str, **facts: Any) -> RiskDecision:
    """Run the risk check on this request with what the tracker knows; ``facts`` win."""
    if request == "change_account_address":
        request, facts = "change_address", {"address_target": "account", **facts}
    known: dict[str, Any] = {
        "verified": is_verified(tracker),
        "sentiment": latest_sentiment(tracker),
        "failed_attempts": failed_attempts(tracker),
    }
    return assess(RiskCase(request=request, **{**known, **facts}), risk_policy())


def risk_events(decision: RiskDecision, draft: dict | None = None) -> list[EventType]:
    """Record the risk decision; the handoff policy reads ``risk_tier`` right after."""
    events = [
        SlotSet("risk_tier", decision.tier),
        SlotSet("risk_reasons", list(decision.reasons)),
    ]
    if draft is not None:
        events.append(SlotSet("draft", draft))
    return events


def goal_met() -> list[EventType]:
    """The customer's goal was met; the handoff policy's turn count starts again."""
    return [SlotSet("goal_met", True)]


def needs_person(decision: RiskDecision) -> bool:
    return decision.tier != "automation"
