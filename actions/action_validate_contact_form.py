"""Accept an email address or phone number as the contact for a follow-up; only a phone
number when the customer asked to be called back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import replies
from actions.tracking import wants_callback


class ValidateContactForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contact_form"

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, str) and value.strip():
            if wants_callback(tracker) and "@" in value:
                dispatcher.utter_message(text=replies.PHONE_NEEDED)
                return {"contact": None}
            return {"contact": value.strip()}
        dispatcher.utter_message(text="Please give an email address or a phone number.")
        return {"contact": None}
