"""Ask for the email on the order, the proof that the order is the customer's own."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionAskEmail(Action):
    def name(self) -> str:
        return "action_ask_email"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        order_id = tracker.get_slot("order_id")
        which = f"order {order_id}" if order_id else "that order"
        dispatcher.utter_message(
            text=f"To protect your privacy: what email address did you use for {which}?"
        )
        return []
