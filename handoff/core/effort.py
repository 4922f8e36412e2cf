"""What a conversation cost the customer: time to the first answer, time with each owner, and
how often they had to say the same thing again.

Pure: stored rows (transitions, history messages) and the time the reckoning stops go in,
numbers come out. Owners are the desk's (bot, queue, agent, closed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from handoff.core.records import AGENT, QUEUE

Row = Mapping[str, Any]

# Two messages at least this similar (difflib's ratio over the normalised text) say the same.
NEAR_IDENTICAL = 0.9
_NOT_WORD = re.compile(r"[^\w]+")


def customer_messages(messages: Sequence[Row]) -> list[Row]:
    return [m for m in messages if m.get("kind") == "message" and m.get("sender") == "customer"]


def first_answer_seconds(messages: Sequence[Row]) -> float | None:
    """From the customer's first message to the first answer after it, by the assistant or a
    person; None while nothing has been asked or answered."""
    asked: float | None = None
    for m in messages:
        if m.get("kind") != "message":
            continue
        if m.get("sender") == "customer" and asked is None:
            asked = float(m["ts"])
        elif m.get("sender") in ("bot", "agent") and asked is not None:
            return max(0.0, float(m["ts"]) - asked)
    return None


def time_owned(transitions: Sequence[Row], owner: str, until: float) -> float | None:
    """Seconds the conversation spent with ``owner``, summed over every stay; a stay still
    going counts up to ``until``. None when it never had that owner."""
    total, since, seen = 0.0, None, False
    for t in transitions:
        at = float(t["changed_at"])
        if since is not None and t["from_owner"] == owner:
            total += max(0.0, at - since)
            since = None
        if t["to_owner"] == owner:
            since, seen = at, True
    if since is not None:
        total += max(0.0, until - since)
    return total if seen else None


def waited(transitions: Sequence[Row], until: float) -> float | None:
    return time_owned(transitions, QUEUE, until)


def handled(transitions: Sequence[Row], until: float) -> float | None:
    return time_owned(transitions, AGENT, until)


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing gone: "Where's my ORDER?!" -> "where s my order"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain).strip()


def same(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a, b).ratio() >= NEAR_IDENTICAL


def repeats(texts: Sequence[str]) -> int:
    """How many messages repeat an earlier one of the same customer (the same words once
    normalised, or nearly: a typo fixed, a word added to a long sentence)."""
    said: list[str] = []
    count = 0
    for text in texts:
        words = normalise(text)
        if not words:
            continue
        if any(same(words, earlier) for earlier in said):
            count += 1
        said.append(words)
    return count


def counts(transitions: Sequence[Row]) -> tuple[int, int]:
    """(handoffs, transfers): handoffs to the queue, and moves from one person or team to
    another."""
    handoffs = sum(1 for t in transitions if str(t["reason"]).startswith("handoff:"))
    transfers = sum(
        1
        for t in transitions
        if str(t["reason"]).startswith(("transferred_to_team:", "transferred_by:"))
    )
    return handoffs, transfers
