"""Run the risk check on a sensitive request (disputes, fraud, legal, data, harm, complaints).

These requests always need a person; the recorded tier and reasons make the handoff policy
bring one in. A complaint is the assistance tier: the assistant drafts the reply.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.shop import NotFound
from actions.tracking import assess_request, latest_intent, risk_events, shop
from contract.cases import find

SENSITIVE = (
    "payment_dispute",
    "chargeback",
    "legal_request",
    "data_protection",
    "harm_complaint",
    "complaint",
    "fraud",
    "regulator_complaint",
)


class ActionAssessRisk(Action):
    def name(self) -> str:
        return "action_assess_risk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        # The rules run on every message the classifier or the handoff policy sends here,
        # so a case is escalated with its reason even when the classifier missed it.
        cases = tuple((case.kind, case.matched) for case in find(text))
        request = latest_intent(tracker)
        if request not in SENSITIVE:
            # The reasons then come from the rules alone.
            request = "other"
        facts: dict[str, Any] = {"rule_cases": cases}
        order_id = tracker.get_slot("order_id")
        if order_id:
            with contextlib.suppress(NotFound):  # an unknown order just adds no fact
                facts["order_status"] = shop().order(order_id).status
        decision = assess_request(tracker, request, **facts)
        draft = None
        if request == "complaint" and not cases:
            about = f" with order {order_id}" if order_id else ""
            draft = {
                "reply": f"I'm sorry about your experience{about}. I've recorded your complaint "
                "and will follow up with you personally.",
                "action": {"type": "log_complaint", "order_id": order_id, "complaint": text},
            }
        return risk_events(decision, draft)
