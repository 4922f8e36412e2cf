"""Cancel an order that has not shipped and refund it; explain why a shipped one cannot be.

An order that has shipped stays as it is: the customer is told what they can do instead (a
return once it has arrived). A cancellation whose refund is above the review amount is the
assistance tier: nothing is changed, the prepared cancellation (the draft) waits for an agent.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.shop import Cancellation, NotAllowed, Order, Shop, refund_due
from actions.tracking import assess_request, goal_met, needs_person, risk_events, shop

START_RETURN = {"title": "Start a return", "payload": "/start_return"}


def _refuse(dispatcher: CollectingDispatcher, store: Shop, order: Order) -> None:
    returnable, why = store.return_eligibility(order.id)
    dispatcher.utter_message(
        text=replies.cancel_refused(order, returnable, why),
        buttons=[START_RETURN] if returnable else [],
    )


class ActionCancelOrder(Action):
    def name(self) -> str:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        store = shop()
        order = store.order(tracker.get_slot("order_id"))
        earlier = store.cancellation_for(order.id)
        # Only an order that has not shipped is refunded, so only then does its amount matter.
        cancellable = order.status == "placed" and earlier is None
        amount = order.total if cancellable else None
        decision = assess_request(tracker, "cancel_order", order_status=order.status, amount=amount)
        if needs_person(decision):
            draft = None
            if cancellable:
                today = store.today()
                planned = Cancellation(
                    order.id,
                    today,
                    order.total,
                    "original_payment",
                    refund_due(today, "original_payment"),
                )
                draft = {
                    "reply": replies.order_cancelled(planned, now=True),
                    "action": {
                        "type": "cancel_order",
                        "order_id": order.id,
                        "amount": f"{order.total:.2f}",
                        "refund_method": planned.refund_method,
                    },
                }
            return risk_events(decision, draft)
        if earlier is not None:
            dispatcher.utter_message(text=replies.order_cancelled(earlier, now=False))
            return risk_events(decision) + goal_met()
        if not cancellable:
            _refuse(dispatcher, store, order)
            return risk_events(decision) + goal_met()
        try:
            cancellation, now = store.cancel_order(order.id)
        except NotAllowed:
            # Shipped between the check and the cancellation: say what is possible now.
            _refuse(dispatcher, store, store.order(order.id))
            return risk_events(decision) + goal_met()
        dispatcher.utter_message(text=replies.order_cancelled(cancellation, now=now))
        return risk_events(decision) + goal_met()
