"""The assistant's facts about one turn, as it sends them to the handoff service.

The assistant's REST channel adds one element to its replies, ``{"custom": {"turn": {...}}}``
(assistant/turn_channel.py); the gateway takes it out and keeps it (``Store.add_turn``) after
:func:`parse` has checked it. Keys other than these are ignored. Standard library only: both
environments use it.

- ``goal``: ``met`` (answered or done what the customer asked), ``open`` (a request under
  way: a form asking, a confirmation pending), ``failed`` (not understood, or cannot help),
  ``none`` (small talk, nothing to judge);
- ``intent`` and ``confidence``: what the classifier took the message for (the best real
  intent, also when it fell back) and how sure it was (0 to 1);
- ``topic``: what it is about (contract/topics.py);
- ``order_ref`` and ``email_hash``: the order named and a hash of the email given
  (contract/customer_keys.py; never the address itself).
"""

from __future__ import annotations

import re
from typing import Any

TURN = "turn"
MET = "met"
GOALS = (MET, "open", "failed", "none")
MAX_NAME = 100
_HASH = re.compile(r"^[0-9a-f]{64}$")
_ORDER = re.compile(r"^NW-\d{4,10}$")


class TurnError(ValueError):
    """The turn element is malformed; the message says which value."""


def turn_of(reply: dict[str, Any]) -> Any:
    """The raw turn facts if this reply is the turn element, else None."""
    custom = reply.get("custom")
    return custom.get(TURN) if isinstance(custom, dict) and TURN in custom else None


def _name(turn: dict[str, Any], key: str) -> str | None:
    value = turn.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= MAX_NAME:
        raise TurnError(f"{key} must be null or a string of 1 to {MAX_NAME} characters")
    return value


def parse(raw: Any) -> dict[str, Any]:
    """The checked facts, with exactly the keys of the contract."""
    if not isinstance(raw, dict):
        raise TurnError("turn must be an object")
    goal = raw.get("goal")
    if goal not in GOALS:
        raise TurnError(f"goal must be one of {', '.join(GOALS)}, got {goal!r}")
    confidence = raw.get("confidence")
    if confidence is not None:
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
            raise TurnError("confidence must be null or a number")
        if not 0.0 <= confidence <= 1.0:
            raise TurnError("confidence must be between 0 and 1")
        confidence = float(confidence)
    order = _name(raw, "order_ref")
    if order is not None and not _ORDER.match(order):
        raise TurnError("order_ref must be an order reference such as NW-10007")
    email = _name(raw, "email_hash")
    if email is not None and not _HASH.match(email):
        raise TurnError("email_hash must be a sha256 in lower-case hex")
    return {
        "intent": _name(raw, "intent"),
        "confidence": confidence,
        "goal": goal,
        "topic": _name(raw, "topic"),
        "order_ref": order,
        "email_hash": email,
    }
