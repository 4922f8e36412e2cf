"""Ask for the new address, showing where the order or account points today."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.shop import NotFound
from actions.tracking import shop


class ActionAskNewAddress(Action):
    def name(self) -> str:
        return "action_ask_new_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        current = None
        try:
            if tracker.get_slot("request") == "change_account_address":
                current = shop().customer(tracker.get_slot("customer_id") or "").address
            elif tracker.get_slot("order_id"):
                current = shop().order(tracker.get_slot("order_id")).shipping_address
        except NotFound:
            current = None
        now = f" It is currently {current}." if current else ""
        dispatcher.utter_message(
            text=f"What is the new address (street, city, postal code, country)?{now}"
        )
        return []
