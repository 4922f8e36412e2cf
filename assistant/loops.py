"""Is the conversation going in circles? Pure counts over the latest answers and messages.

Two texts are "the same" when, lower-cased and without punctuation or extra spaces, they are
equal or nearly so (a similarity ratio of at least ``NEAR``), so "where is my order??" and
"Where is my order" repeat each other while two different questions do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

NEAR = 0.9
# A customer message repeats another only when it has at least this many words.
MIN_MESSAGE_WORDS = 3
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text.lower())).strip()


def same(first: str, second: str) -> bool:
    """Whether two messages say (nearly) the same thing, word for word."""
    a, b = normalise(first), normalise(second)
    if not a or not b:
        return False
    if a == b:
        return True
    # ratio() <= quick_ratio() <= real_quick_ratio() (difflib's upper bounds, the same formula
    # over fewer matches): two different answers are told apart by their lengths or their
    # letters without the full matching, which is what the handoff policy spent most on.
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= NEAR
        and matcher.quick_ratio() >= NEAR
        and matcher.ratio() >= NEAR
    )


def repeat_streak(texts: Sequence[str], min_words: int = 1) -> int:
    """How many of the last texts, newest last, repeat the newest one without a break.

    A newest text shorter than ``min_words`` words counts 0: a customer answering "yes" to
    three different questions is not repeating themselves.
    """
    if not texts or len(normalise(texts[-1]).split()) < min_words:
        return 0
    streak = 1
    for text in reversed(texts[:-1]):
        if not same(text, texts[-1]):
            break
        streak += 1
    return streak
