"""Keep the customer's contact so a person follows up on a handoff that could not be delivered."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.emergency import words_in_danger
from actions.shop import NotFound
from actions.tracking import shop, wants_callback


class ActionSaveContact(Action):
    def name(self) -> str:
        return "action_save_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        contact = str(tracker.get_slot("contact") or "").strip()
        is_email = "@" in contact
        store = shop()
        name = None
        if tracker.get_slot("customer_id"):
            try:
                name = store.customer(tracker.get_slot("customer_id")).name
            except NotFound:
                name = None
        note = f"follow up on handoff {tracker.get_slot('handoff_id') or '(not sent)'}"
        if wants_callback(tracker):
            note = f"call back requested: {note}"
        danger = tracker.get_slot("emergency")
        if danger:
            # Kept as urgent, with the customer's own words, for whoever reads the contacts first.
            wrote = words_in_danger(tracker.events)
            note = f"URGENT ({danger}): {note}" + (
                f'; the customer wrote: "{wrote}"' if wrote else ""
            )
        store.record_contact(
            conversation_id=tracker.sender_id,
            name=name,
            email=contact if is_email else None,
            phone=None if is_email else contact,
            note=note,
        )
        dispatcher.utter_message(text=replies.contact_saved(contact))
        return []
