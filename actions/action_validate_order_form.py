"""Check the order number and the proof that the order is the customer's own.

A customer proves an order is theirs with the email on the order, or is already verified by
the host site's signed customer id. Every mismatch counts as a failed attempt; at the limit
the risk check escalates, and the handoff policy brings in a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.shop import NotFound, normalise_order_id
from actions.tracking import assess_request, failed_attempts, risk_events, shop, thresholds

ACCOUNT_REQUESTS = {"check_balance", "change_account_address"}


def _signed_in(tracker: Tracker) -> bool:
    return tracker.get_slot("verification_method") == "signed_token"


class ValidateOrderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_order_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if failed_attempts(tracker) >= thresholds().max_failed_attempts:
            # The risk check escalated: stop asking, a person takes over.
            return []
        if not _signed_in(tracker):
            return domain_slots
        # A signed-in customer needs no email; account requests need no order either.
        return [] if tracker.get_slot("request") in ACCOUNT_REQUESTS else ["order_id"]

    def _failed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> dict[str, Any]:
        attempts = failed_attempts(tracker) + 1
        if attempts < thresholds().max_failed_attempts:
            text += " Let's try again."
        dispatcher.utter_message(text=text)
        # Both are asked again, so a mismatch never tells which of the two was wrong.
        return {"order_id": None, "email": None, "failed_attempts": attempts}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            order = shop().order(normalise_order_id(str(value)))
        except NotFound:
            return self._failed(
                dispatcher,
                tracker,
                f"I can't find an order {value}. Order numbers look like NW-10007.",
            )
        if _signed_in(tracker) and order.customer_id != tracker.get_slot("customer_id"):
            return self._failed(dispatcher, tracker, f"Order {order.id} isn't on your account.")
        return {"order_id": order.id}

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        order_id: str | None = tracker.get_slot("order_id")
        if not order_id or not shop().order_belongs_to(order_id, str(value)):
            return self._failed(
                dispatcher,
                tracker,
                "That order number and email address don't match our records.",
            )
        return {
            "email": str(value).strip(),
            "customer_id": shop().order(order_id).customer_id,
            "verified": True,
            "verification_method": "order_email",
        }

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        attempts = next(
            (
                e["value"]
                for e in reversed(events)
                if e.get("event") == "slot" and e.get("name") == "failed_attempts"
            ),
            None,
        )
        if attempts is None:
            return events
        # Repeated failures are a risk signal: record the check so a person can step in.
        decision = assess_request(
            tracker, tracker.get_slot("request") or "track_order", failed_attempts=int(attempts)
        )
        if decision.tier == "automation":
            return events
        return events + risk_events(decision)
