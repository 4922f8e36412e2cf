"""What the assistant said in each turn, read from a tracker's events, for the loop trigger.

A turn is everything the assistant said after one customer message. ``answers`` joins it;
``last_questions`` keeps only the question it ends with, since a form that cannot get its
answer says something different each time but asks the same question again.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered


def answers(events: list[Any]) -> list[str]:
    """The assistant's answer to each customer message (its texts joined), oldest first."""
    found: list[str] = []
    current: list[str] = []
    for event in events:
        if isinstance(event, UserUttered):
            if current:
                found.append(" ".join(current))
            current = []
        elif isinstance(event, BotUttered) and event.text:
            current.append(event.text)
    if current:
        found.append(" ".join(current))
    return found


def last_questions(events: list[Any]) -> list[str]:
    """The question each answer ends with ("What is your order number?"), or "" when it ends
    with no question; oldest first.

    A form that cannot get its answer asks again after whatever else it says ("Sorry, I didn't
    understand that. What is your order number?"): the answers differ, the question does not.
    """
    questions: list[str] = []
    last: str | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if last is not None:
                questions.append(last if "?" in last else "")
            last = None
        elif isinstance(event, BotUttered) and event.text:
            last = event.text
    if last is not None:
        questions.append(last if "?" in last else "")
    return questions
