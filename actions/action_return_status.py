"""Tell a verified customer where their return and refund are, after the risk check."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.tracking import assess_request, goal_met, needs_person, risk_events, shop


class ActionReturnStatus(Action):
    def name(self) -> str:
        return "action_return_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        order = shop().order(tracker.get_slot("order_id"))
        decision = assess_request(tracker, "return_status", order_status=order.status)
        if needs_person(decision):
            return risk_events(decision)
        dispatcher.utter_message(text=replies.return_status(shop().return_for(order.id), order.id))
        return risk_events(decision) + goal_met()
