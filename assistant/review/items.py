"""Review items: the messages the assistant did not understand, and the ones agents labelled.

Two sources, each read as plain rows: every customer message Rasa's tracker store recorded
with the ``nlu_fallback`` intent (suggested intent: the classifier's best real guess), and
every message an agent marked as misunderstood at close (suggested intent: the agent's).
The same message from both sources is one item, with the agent's intent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

NLU_FALLBACK = "nlu_fallback"
# No real intent to suggest: the classifier ranked nothing but the fallback.
UNKNOWN = "(unknown)"
AGENT = "agent"
ASSISTANT = "assistant"


@dataclass(frozen=True)
class Item:
    """One message to review, with the conversation it came from."""

    item_id: str
    conversation_id: str
    text: str
    suggested: str
    source: str  # AGENT (marked at close) or ASSISTANT (not understood)
    ts: float


def _best_real_intent(parse_data: Mapping[str, Any]) -> str:
    for ranked in parse_data.get("intent_ranking") or []:
        name = ranked.get("name") if isinstance(ranked, Mapping) else None
        if isinstance(name, str) and name != NLU_FALLBACK:
            return name
    return UNKNOWN


def from_tracker(rows: Iterable[tuple[int, str, Mapping[str, Any]]]) -> list[Item]:
    """Items from tracker store rows ``(row id, sender_id, event data)`` of user events."""
    items = []
    for row_id, sender_id, data in rows:
        text = data.get("text")
        parse_data = data.get("parse_data") or {}
        intent = (parse_data.get("intent") or {}).get("name")
        if intent != NLU_FALLBACK or not isinstance(text, str) or text.startswith("/"):
            continue
        if not text.strip():
            continue
        items.append(
            Item(
                f"tracker:{row_id}",
                sender_id,
                text.strip(),
                _best_real_intent(parse_data),
                ASSISTANT,
                float(data.get("timestamp") or 0.0),
            )
        )
    return items


def from_labels(
    labels: Iterable[Mapping[str, Any]], texts: Mapping[tuple[str, int], str]
) -> list[Item]:
    """Items from the agents' labels; ``texts`` maps (conversation, seq) to what was said."""
    items = []
    for label in labels:
        cid = label["conversation_id"]
        for seq in label["misunderstood"]:
            text = texts.get((cid, seq))
            if text and text.strip():
                items.append(
                    Item(
                        f"label:{cid}:{seq}",
                        cid,
                        text.strip(),
                        label["intent"],
                        AGENT,
                        float(label["created_at"]),
                    )
                )
    return items


def normalised(text: str) -> str:
    """Lowercase words only: what two wordings of one example have in common."""
    return " ".join(re.findall(r"[\w@.']+", text.lower())).strip(" .")


def merged(*sources: Iterable[Item]) -> list[Item]:
    """One item per message of a conversation; an agent's label wins over the guess."""
    chosen: dict[tuple[str, str], Item] = {}
    for item in (item for source in sources for item in source):
        key = (item.conversation_id, normalised(item.text))
        if key not in chosen or (item.source == AGENT and chosen[key].source != AGENT):
            chosen[key] = item
    return sorted(chosen.values(), key=lambda item: (item.suggested, item.ts, item.item_id))


def grouped(items: Iterable[Item]) -> dict[str, list[Item]]:
    """Items by suggested intent, intents in name order."""
    groups: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda item: (item.suggested, item.ts, item.item_id)):
        groups.setdefault(item.suggested, []).append(item)
    return groups
