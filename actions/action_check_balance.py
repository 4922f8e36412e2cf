"""Tell a verified customer their store credit, after the risk check."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.tracking import assess_request, goal_met, needs_person, risk_events, shop


class ActionCheckBalance(Action):
    def name(self) -> str:
        return "action_check_balance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        decision = assess_request(tracker, "check_balance")
        if needs_person(decision):
            return risk_events(decision)
        customer = shop().customer(tracker.get_slot("customer_id"))
        dispatcher.utter_message(text=replies.balance(customer))
        return risk_events(decision) + goal_met()
