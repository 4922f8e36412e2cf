"""Resume after an agent hands the conversation back: repeat their outcome, say it's an AI."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies

# What the previous request left behind; the next request starts clean.
CLEARED = (
    "handoff_status",
    "handoff_trigger",
    "risk_tier",
    "risk_reasons",
    "draft",
    "request",
    "new_address",
    "agent_outcome",
    "agent_name",
)


class ActionHandback(Action):
    def name(self) -> str:
        return "action_handback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=replies.handed_back(
                tracker.get_slot("agent_name"), tracker.get_slot("agent_outcome")
            )
        )
        return [SlotSet(name, None) for name in CLEARED] + [SlotSet("failed_attempts", 0)]
