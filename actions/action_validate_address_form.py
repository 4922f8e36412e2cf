"""Accept a new address only when it looks like one (a number and enough words)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


def looks_like_address(text: str) -> bool:
    """A street number or postcode digit and at least three words, at most 200 characters."""
    text = (text or "").strip()
    return 0 < len(text) <= 200 and bool(re.search(r"\d", text)) and len(text.split()) >= 3


class ValidateAddressForm(FormValidationAction):
    def name(self) -> str:
        return "validate_address_form"

    def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, str) and looks_like_address(value):
            return {"new_address": value.strip()}
        dispatcher.utter_message(
            text="That doesn't look like a full address. Please give the street and number, "
            "city, postal code and country."
        )
        return {"new_address": None}
