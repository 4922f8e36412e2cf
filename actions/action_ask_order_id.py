"""Ask for the order number; a signed-in customer gets their recent orders as buttons."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.tracking import shop

MAX_BUTTONS = 4


class ActionAskOrderId(Action):
    def name(self) -> str:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        customer_id = tracker.get_slot("customer_id")
        if tracker.get_slot("verification_method") == "signed_token" and customer_id:
            orders = shop().orders_for(customer_id)[:MAX_BUTTONS]
            buttons = [
                {
                    "title": f"{order.id} ({order.status})",
                    "payload": "/inform" + json.dumps({"order_id": order.id}),
                }
                for order in orders
            ]
            dispatcher.utter_message(text="Which order is it?", buttons=buttons)
        else:
            dispatcher.utter_message(text="What is your order number? It looks like NW-10007.")
        return []
