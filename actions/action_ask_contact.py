"""Ask for an email address or phone number for a person to follow up; a phone number when
the customer asked to be called back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.tracking import wants_callback


class ActionAskContact(Action):
    def name(self) -> str:
        return "action_ask_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=replies.ASK_PHONE if wants_callback(tracker) else replies.ASK_CONTACT,
            buttons=[{"title": "No, thanks", "payload": "/deny"}],
        )
        return []
