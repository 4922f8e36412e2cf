"""Bring in a person: send the handoff service the full context and tell the customer why.

The trigger (kind, observed value, threshold) comes from the handoff policy's ``SlotSet``.
When the service cannot be reached the context stays in the client's durable outbox and is
retried; the customer is told so and offered to leave a contact.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import build_context, conversation_language, intent_names
from actions.emergency import (
    UNSTAFFED,
    danger_now,
    emergency_trigger,
    nobody_can_take,
    safety_response,
)
from actions.handoff_client import HandoffClient
from actions.risk import REQUEST_KINDS, RiskDecision
from actions.shop import NotFound
from actions.tracking import assess_request, latest_intent, shop, thresholds, topic_of
from assistant.danger import Danger

logger = logging.getLogger(__name__)


def trigger_of(tracker: Tracker) -> dict[str, Any]:
    """The trigger the policy recorded; an explicit request when Rasa's rule ran instead."""
    trigger = tracker.get_slot("handoff_trigger")
    if isinstance(trigger, dict) and trigger.get("kind"):
        return trigger
    if tracker.get_slot("risk_tier") in ("assistance", "escalation"):
        reasons = tracker.get_slot("risk_reasons") or []
        return {
            "kind": "risk",
            "value": tracker.get_slot("risk_tier"),
            "threshold": "assistance",
            "detail": "; ".join(reasons),
        }
    asked = latest_intent(tracker) == "request_human"
    return {
        "kind": "customer_request",
        "value": asked,
        "threshold": True,
        "detail": "the customer asked for a person",
    }


def risk_of(
    tracker: Tracker, trigger: dict[str, Any], danger: Danger | None = None
) -> RiskDecision:
    """The risk check's decision; a person taking over for any other trigger is escalation.

    Imminent danger is the emergency tier, with the danger as the first reason.
    """
    tier = tracker.get_slot("risk_tier")
    if danger is None and trigger["kind"] == "risk" and tier in ("assistance", "escalation"):
        return RiskDecision(tier, tuple(tracker.get_slot("risk_reasons") or ()))
    # A person takes over now (escalation); the risk check still says what makes the case
    # sensitive (e.g. "angry customer"), and the trigger explains it when nothing does.
    request = tracker.get_slot("request") or latest_intent(tracker) or "other"
    if request not in REQUEST_KINDS and request != "change_account_address":
        request = "other"
    if danger is not None:
        return assess_request(tracker, request, danger=danger.reason)
    checked = assess_request(tracker, request)
    reasons = tuple(r for r in checked.reasons if not r.startswith("routine "))
    return RiskDecision("escalation", reasons or (trigger.get("detail") or trigger["kind"],))


def language_of(tracker: Tracker, trigger: dict[str, Any]) -> str:
    """The customer's language: the language trigger's, or the latest confident detection."""
    if trigger.get("kind") == "language" and isinstance(trigger.get("value"), str):
        return str(trigger["value"])
    return conversation_language(tracker.events, thresholds())


def customer_of(tracker: Tracker) -> dict[str, Any]:
    customer_id: str | None = tracker.get_slot("customer_id")
    name = None
    if customer_id:
        try:
            name = shop().customer(customer_id).name
        except NotFound:
            customer_id = None
    return {
        "verified": tracker.get_slot("verified") is True and customer_id is not None,
        "method": tracker.get_slot("verification_method"),
        "customer_id": customer_id,
        "name": name,
    }


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        danger = danger_now(tracker)
        trigger = trigger_of(tracker)
        if danger is not None:
            # Safety first, before any other word; whatever fired, the danger is the reason.
            dispatcher.utter_message(response=safety_response(danger))
            trigger = emergency_trigger(danger)
        risk = risk_of(tracker, trigger, danger)
        language = language_of(tracker, trigger)
        context = build_context(
            conversation_id=tracker.sender_id,
            events=list(tracker.events),
            slots=dict(tracker.slots),
            trigger=trigger,
            risk=risk,
            customer=customer_of(tracker),
            topic=topic_of(tracker),
            draft=tracker.get_slot("draft") if risk.tier == "assistance" else None,
            now=datetime.now(timezone.utc),
            language=language,
            intents=intent_names(domain),
        )
        try:
            client = HandoffClient.from_env()
        except ValueError as error:
            # Misconfigured: nothing can be queued, but the customer can still leave a contact.
            logger.error("handoff.not_configured error=%s", error)
            delivered, answer = False, None
        else:
            client.ensure_retry_loop()
            result = await client.submit(context)
            delivered, answer = result.delivered, result.response
        events: list[EventType] = [
            SlotSet("handoff_id", context["handoff_id"]),
            SlotSet("failed_attempts", 0),
            SlotSet("emergency", danger.reason if danger is not None else None),
        ]
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        if delivered and danger is not None and nobody_can_take(answer):
            # It stays first in the queue; the customer is told plainly what happens next.
            dispatcher.utter_message(response=UNSTAFFED)
            return [*events, SlotSet("handoff_status", "delivered")]
        if trigger.get("kind") == "language":
            for text in replies.only_english(language):
                dispatcher.utter_message(text=text)
        if delivered:
            dispatcher.utter_message(text=replies.handoff_started(replies.handoff_reason(trigger)))
            return [*events, SlotSet("handoff_status", "delivered")]
        dispatcher.utter_message(text=replies.handoff_unreachable())
        return [*events, SlotSet("handoff_status", "failed")]
