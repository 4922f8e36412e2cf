"""What one turn of the assistant achieved for the customer: met, open, failed or none.

A turn is what the assistant did after one customer message. Which actions and responses
meet a goal, leave one under way or fail the customer is a list of names in config.yml (the
handoff policy's ``goal_met_actions``, ``goal_open_actions`` and ``goal_failed_actions``, read
with the thresholds), so conversation designers change it without code; a name may end in
``*`` to take every name that starts with the rest. Besides the lists:

- a custom action meets the goal by setting the ``goal_met`` slot (actions/tracking.py);
- a message the classifier fell back on (``nlu_fallback``) is a failed turn;
- a form still active at the end of the turn leaves the request open.

The judgement in that order: met, failed, open, none (small talk, nothing to judge). The turn
trigger (assistant/signals.py) counts turns since the last one that met the goal with the same
:func:`meets_goal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rasa.shared.core.events import ActionExecuted, SlotSet

from contract.turns import GOALS

# The goals of contract/turns.py.
MET, OPEN, FAILED, NONE = GOALS
GOAL_MET_SLOT = "goal_met"
NLU_FALLBACK = "nlu_fallback"

# The defaults, the same as the lists in config.yml.
MET_ACTIONS = ("utter_faq_*",)
OPEN_ACTIONS: tuple[str, ...] = ()
FAILED_ACTIONS = (
    "utter_default",
    "utter_ask_rephrase",
    "utter_unsupported_request",
    "utter_out_of_scope",
)


class GoalsError(ValueError):
    """A list of action names in config.yml is not a list of names."""


def names(key: str, raw: Any) -> tuple[str, ...]:
    """A config list of action or response names, checked (``key`` names it in the error)."""
    if not isinstance(raw, (list, tuple)):
        raise GoalsError(f"{key} must be a list of action or response names, got {raw!r}")
    for name in raw:
        if not isinstance(name, str) or not name.strip() or "*" in name.rstrip("*"):
            raise GoalsError(f"{key}: {name!r} is not an action name (a '*' may only end a name)")
    return tuple(name.strip() for name in raw)


def matches(action: str | None, patterns: Sequence[str]) -> bool:
    if not action:
        return False
    for pattern in patterns:
        if pattern.endswith("*"):
            if action.startswith(pattern.rstrip("*")):
                return True
        elif action == pattern:
            return True
    return False


def meets_goal(event: Any, met_actions: Sequence[str]) -> bool:
    """This event meets the customer's goal: ``goal_met`` set, or a listed action ran."""
    if isinstance(event, SlotSet):
        return event.key == GOAL_MET_SLOT and event.value is True
    return isinstance(event, ActionExecuted) and matches(event.action_name, met_actions)


def judge(
    turn_events: Iterable[Any],
    intent: str | None,
    active_loop: str | None,
    *,
    met_actions: Sequence[str] = MET_ACTIONS,
    open_actions: Sequence[str] = OPEN_ACTIONS,
    failed_actions: Sequence[str] = FAILED_ACTIONS,
) -> str:
    """The goal of one turn: ``turn_events`` are the events after the customer's message,
    ``intent`` the intent it was given, ``active_loop`` the form active after the turn."""
    events = list(turn_events)
    if any(meets_goal(event, met_actions) for event in events):
        return MET
    actions = [e.action_name for e in events if isinstance(e, ActionExecuted)]
    if intent == NLU_FALLBACK or any(matches(a, failed_actions) for a in actions):
        return FAILED
    if active_loop or any(matches(a, open_actions) for a in actions):
        return OPEN
    return NONE
