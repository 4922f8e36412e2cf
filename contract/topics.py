"""What each request is about: the topic an intent or a request belongs to.

One vocabulary for the agent's queue (the handoff context's ``topic``), the assistant's turn
facts and the recontact check ("came back about the same topic"). Standard library only: the
assistant, the action server and the handoff service all use it.
"""

from __future__ import annotations

TOPICS = {
    "track_order": "orders",
    "change_address": "orders",
    "change_account_address": "account",
    "check_balance": "account",
    "start_return": "returns",
    "cancel_order": "orders",
    "return_status": "refunds",
    "payment_dispute": "payments",
    "chargeback": "payments",
    "legal_request": "legal",
    "data_protection": "privacy",
    "harm_complaint": "safety",
    "complaint": "complaints",
    "fraud": "payments",
    "regulator_complaint": "complaints",
}


def topic_of(name: str | None) -> str | None:
    """The topic of a request or intent name; None for one that is about nothing in
    particular (a greeting, a question the assistant did not understand)."""
    return TOPICS.get(name or "")
