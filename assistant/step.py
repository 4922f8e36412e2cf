"""What the handoff policy does at one point of a conversation: the one decision function.

:func:`next_step` reads a tracker and returns a :class:`Step`: hand off (with the trigger
that fired), run the risk check first, listen, or leave the turn to the other policies. The
live policy (assistant/policy.py) turns the step into Rasa's prediction; the what-if replay
(assistant/replay.py) calls it at every recorded point of a stored conversation, so both
decide with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.cannot_answer import cannot_answer
from assistant.signals import (
    ACTION_ASSESS_RISK,
    ACTION_HANDOFF,
    CONTROL_INTENTS,
    NLU_FALLBACK,
    action_turn_signals,
    user_turn_signals,
)
from assistant.thresholds import Thresholds
from assistant.triggers import Trigger, decide
from contract.cases import find as find_cases


@dataclass(frozen=True)
class Step:
    """``action`` to predict (None: abstain); ``trigger`` is set when it is a handoff.

    ``interrupt`` lets the prediction win over an active form's happy path.
    """

    action: str | None = None
    trigger: Trigger | None = None
    interrupt: bool = False


ABSTAIN = Step()

UTTER_CANNOT_ANSWER = "utter_cannot_answer"
# Forms asking for a fact the customer may not have at hand; the contact form is left out,
# since "I don't have one" there declines to leave a contact, which its own rule accepts.
FACT_FORMS = frozenset({"order_form", "address_form"})
# What the classifier makes of "not sure" or "I lost it": a refusal, or nothing it knows.
NOT_AN_ANSWER_INTENTS = frozenset({"deny", NLU_FALLBACK})


def next_step(tracker: DialogueStateTracker, thresholds: Thresholds) -> Step:
    """The handoff policy's decision on this tracker under these thresholds."""
    events = list(tracker.applied_events())
    latest_action = tracker.latest_action_name
    if latest_action == ACTION_HANDOFF:
        # After a failed handoff the rules offer the contact form; otherwise wait.
        if tracker.get_slot("handoff_status") == "failed":
            return ABSTAIN
        return Step(ACTION_LISTEN_NAME)
    latest = tracker.latest_message
    if latest_action == ACTION_LISTEN_NAME:
        if latest is None or latest.intent_name in CONTROL_INTENTS or not latest.intent_name:
            return ABSTAIN
        in_form = bool(tracker.active_loop_name)
        signals = user_turn_signals(events, latest, thresholds, in_form)
        urgent = signals.requested_person or signals.danger
        if not urgent and find_cases(latest.text or ""):
            # A case a person must own: the risk check records it with its reason, then
            # the risk trigger hands off on the next step, even when the classifier fell
            # back. A request for a person and imminent danger hand off at once instead.
            return Step(ACTION_ASSESS_RISK, interrupt=True)
    else:
        signals = action_turn_signals(events, tracker.get_slot("risk_reasons"))
    trigger = decide(signals, thresholds)
    if trigger is None:
        if latest_action == ACTION_LISTEN_NAME and _cannot_answer_form(tracker):
            # Said instead of the form's stop rule or the not-understood reply; the form then
            # asks again, and the loop trigger counts the repeated question.
            return Step(UTTER_CANNOT_ANSWER, interrupt=True)
        return ABSTAIN
    # A handoff must also win over an active form's happy path.
    return Step(ACTION_HANDOFF, trigger, interrupt=True)


def _cannot_answer_form(tracker: DialogueStateTracker) -> bool:
    """A form is asking for a fact and the customer's message says they cannot give it."""
    latest = tracker.latest_message
    asked = tracker.get_slot("requested_slot")
    return (
        latest is not None
        and tracker.active_loop_name in FACT_FORMS
        and bool(asked)
        # A slot the message already filled (the address form takes any text) is left to
        # the form's validation, which an interruption would skip.
        and tracker.get_slot(asked) is None
        and latest.intent_name in NOT_AN_ANSWER_INTENTS
        and cannot_answer(latest.text or "") is not None
    )
