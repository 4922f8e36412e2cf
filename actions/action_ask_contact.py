"""Ask for an email address or phone number for a person to follow up."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionAskContact(Action):
    def name(self) -> str:
        return "action_ask_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text="What email address or phone number should a person use to reach you?",
            buttons=[{"title": "No, thanks", "payload": "/deny"}],
        )
        return []
