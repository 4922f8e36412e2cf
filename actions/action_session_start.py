"""Start a conversation: say it is an AI and how to reach a person; trust a signed customer id."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.settings import Settings
from actions.shop import NotFound
from actions.tracking import shop
from contract.customer_token import InvalidToken, verify_customer_token

logger = logging.getLogger(__name__)

TALK_TO_A_PERSON = {"title": "Talk to a person", "payload": "/request_human"}


def customer_token(tracker: Tracker) -> str | None:
    """The host site's signed customer id, from the message or session metadata."""
    for metadata in (
        (tracker.latest_message or {}).get("metadata"),
        tracker.get_slot("session_started_metadata"),
    ):
        if isinstance(metadata, dict) and isinstance(metadata.get("customer_token"), str):
            return metadata["customer_token"]
    return None


def verified_customer_id(token: str | None, secret: str | None) -> str | None:
    if not token or not secret:
        return None
    try:
        return verify_customer_token(token, secret)
    except InvalidToken as error:
        logger.info("session.token_rejected reason=%s", error.reason)
        return None


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        customer_id = verified_customer_id(
            customer_token(tracker), Settings.from_env().customer_token_secret
        )
        name = None
        if customer_id:
            try:
                name = shop().customer(customer_id).name.split()[0]
            except NotFound:
                customer_id = None
        # Rasa runs this action for a new conversation and again for the gateway's
        # /session_start message; the disclosure is said once.
        if tracker.get_slot("ai_disclosed") is not True:
            dispatcher.utter_message(text=replies.disclosure(name), buttons=[TALK_TO_A_PERSON])
        events: list[EventType] = [SessionStarted(), SlotSet("ai_disclosed", True)]
        if customer_id:
            events += [
                SlotSet("customer_id", customer_id),
                SlotSet("verified", True),
                SlotSet("verification_method", "signed_token"),
            ]
        return [*events, ActionExecuted("action_listen")]
