"""Start a return for an eligible order; a refund above the review amount goes to an agent.

For the assistance tier nothing is changed: the prepared return (the draft) waits for an
agent to approve, edit or reject it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.shop import NotEligible
from actions.tracking import (
    assess_request,
    goal_met,
    needs_person,
    request_text,
    risk_events,
    shop,
)


class ActionStartReturn(Action):
    def name(self) -> str:
        return "action_start_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        store = shop()
        order = store.order(tracker.get_slot("order_id"))
        eligible, why = store.return_eligibility(order.id)
        # Only an eligible return leads to a refund, so only then does its amount matter.
        amount = order.total if eligible else None
        decision = assess_request(tracker, "start_return", order_status=order.status, amount=amount)
        reason = request_text(tracker, "start_return") or "not given"
        if needs_person(decision):
            draft = None
            if eligible:
                draft = {
                    "reply": f"I've started the return for order {order.id}; we'll refund "
                    f"{order.total:.2f} once the items arrive.",
                    "action": {
                        "type": "start_return",
                        "order_id": order.id,
                        "amount": f"{order.total:.2f}",
                        "reason": reason,
                    },
                }
            return risk_events(decision, draft)
        if not eligible:
            dispatcher.utter_message(text=replies.return_refused(why))
            return risk_events(decision) + goal_met()
        try:
            started = store.start_return(order.id, reason)
        except NotEligible as refused:
            dispatcher.utter_message(text=replies.return_refused(refused.reason))
            return risk_events(decision) + goal_met()
        dispatcher.utter_message(text=replies.return_started(started))
        return risk_events(decision) + goal_met()
