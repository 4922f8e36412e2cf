"""Change the address of an order that has not shipped, or of the account.

A shipped order's address change is the assistance tier: the change is prepared as a draft
for an agent (who may contact the carrier) instead of being refused.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.shop import NotAllowed
from actions.tracking import assess_request, goal_met, needs_person, risk_events, shop


class ActionChangeAddress(Action):
    def name(self) -> str:
        return "action_change_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        store = shop()
        address = tracker.get_slot("new_address")
        done = [SlotSet("new_address", None)]
        if tracker.get_slot("request") == "change_account_address":
            decision = assess_request(tracker, "change_account_address")
            if needs_person(decision):
                return risk_events(decision)
            customer = store.change_account_address(tracker.get_slot("customer_id"), address)
            dispatcher.utter_message(text=replies.account_address_changed(customer))
            return risk_events(decision) + goal_met() + done
        order = store.order(tracker.get_slot("order_id"))
        decision = assess_request(
            tracker, "change_address", address_target="order", order_status=order.status
        )
        if not needs_person(decision):
            try:
                changed = store.change_order_address(order.id, address)
            except NotAllowed:
                # Shipped between the check and the change: treat it as the shipped case.
                decision = assess_request(
                    tracker, "change_address", address_target="order", order_status="shipped"
                )
            else:
                dispatcher.utter_message(text=replies.order_address_changed(changed))
                return risk_events(decision) + goal_met() + done
        draft = {
            "reply": f"We've asked the carrier to deliver order {order.id} to the new address.",
            "action": {
                "type": "change_order_address",
                "order_id": order.id,
                "status": order.status,
                "new_address": address,
            },
        }
        return risk_events(decision, draft)
