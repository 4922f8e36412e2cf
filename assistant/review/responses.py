"""Replies agents typed again and again for the same intent: suggested as a response.

The intent of a conversation is the one its agent gave at close. Replies are grouped when
they are the same after normalising or at least ``SIMILAR`` alike; a group typed in at
least ``min_conversations`` different conversations is a suggestion, worded as its most
frequent reply, with personal data redacted.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from assistant.review.items import normalised

SIMILAR = 0.85


@dataclass(frozen=True)
class Suggestion:
    intent: str
    text: str
    conversations: int


@dataclass
class _Group:
    norm: str
    wordings: Counter[str]
    conversations: set[str]


def suggest(
    intents: Mapping[str, str],
    replies: Iterable[tuple[str, str]],
    redact: Callable[[str], str],
    min_conversations: int = 3,
) -> list[Suggestion]:
    """``intents``: conversation -> intent; ``replies``: (conversation, agent's text)."""
    groups: dict[str, list[_Group]] = {}
    for cid, text in replies:
        intent = intents.get(cid)
        norm = normalised(text)
        if intent is None or not norm:
            continue
        for group in groups.setdefault(intent, []):
            if (
                group.norm == norm
                or difflib.SequenceMatcher(None, group.norm, norm).ratio() >= SIMILAR
            ):
                break
        else:
            group = _Group(norm, Counter(), set())
            groups[intent].append(group)
        group.wordings[text.strip()] += 1
        group.conversations.add(cid)
    found = [
        Suggestion(intent, redact(group.wordings.most_common(1)[0][0]), len(group.conversations))
        for intent, candidates in groups.items()
        for group in candidates
        if len(group.conversations) >= min_conversations
    ]
    return sorted(found, key=lambda s: (s.intent, -s.conversations, s.text))
