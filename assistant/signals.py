"""Read a tracker's events into the signals the handoff triggers judge.

Plain functions over Rasa's event objects, shared by the live policy (assistant/policy.py)
and the what-if replay of stored conversations (assistant/replay.py) through
:func:`assistant.step.next_step`, so both judge a turn the same way.
"""

from __future__ import annotations

# Rasa's event classes are typed in its own style; keep it.
# ruff: noqa: UP006, UP035, UP045
from typing import Any, Dict, List, Optional

from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY

from assistant.danger import danger_of
from assistant.goals import meets_goal
from assistant.language_detector import LANGUAGE
from assistant.languages import foreign_language, observe
from assistant.loops import MIN_MESSAGE_WORDS, repeat_streak
from assistant.sentiment import SENTIMENT, score, score_of
from assistant.thresholds import Thresholds
from assistant.triggers import HANDOFF_TIERS, Signals
from assistant.turns import answers, last_questions
from contract.person_request import detect

ACTION_HANDOFF = "action_handoff"
ACTION_HANDBACK = "action_handback"
ACTION_SESSION_START = "action_session_start"
ACTION_ASSESS_RISK = "action_assess_risk"
# Where the NLU pipeline's person detector puts its finding (assistant/person_detector.py).
PERSON_REQUEST = "person_request"
NLU_FALLBACK = "nlu_fallback"
REQUEST_HUMAN = "request_human"
# Control messages from the gateway, not something the customer said.
CONTROL_INTENTS = {"session_start", "handback"}
# Pleasantries do not count as a turn spent waiting for the goal.
NEUTRAL_INTENTS = CONTROL_INTENTS | {"greet", "thank", "goodbye"}
TURN_RESETTING_ACTIONS = {ACTION_HANDOFF, ACTION_HANDBACK, ACTION_SESSION_START}
# The dialogue's own fallback: the classifier read the message, but no rule or story knew what
# to do with it (RulePolicy's core_fallback_action_name). For the customer it is one more
# message the assistant did not understand.
DIALOGUE_FALLBACK_ACTIONS = {"utter_default", "action_default_fallback"}


def _best_real_confidence(parse_data: Dict[str, Any]) -> Optional[float]:
    """Confidence of the best real intent; None when the NLU output is not at hand.

    FallbackClassifier replaces the intent with ``nlu_fallback``, keeping the real ranking.
    Stories replayed by ``rasa test`` carry only the story's intent, not the ranking.
    """
    intent = parse_data.get("intent") or {}
    if intent.get(INTENT_NAME_KEY) != NLU_FALLBACK:
        confidence = intent.get("confidence")
        return float(confidence) if confidence is not None else None
    for ranked in parse_data.get(INTENT_RANKING_KEY) or []:
        if ranked.get(INTENT_NAME_KEY) != NLU_FALLBACK:
            return float(ranked.get("confidence", 0.0))
    return None


def requested_person(latest: UserUttered) -> bool:
    """The detector's finding OR the classifier's ``request_human`` intent.

    Messages that skipped the NLU pipeline (replayed test stories) carry only their text;
    the detector is a pure function of it, so it runs here on the text instead.
    """
    if latest.intent_name == REQUEST_HUMAN:
        return True
    parse_data = latest.parse_data or {}
    if PERSON_REQUEST in parse_data:
        return bool(parse_data[PERSON_REQUEST])
    text = latest.text or ""
    return not text.startswith("/") and detect(text) is not None


def asked_callback(latest: UserUttered) -> bool:
    """Whether the request for a person was to be called back ("can someone ring me")."""
    parse_data = latest.parse_data or {}
    if PERSON_REQUEST in parse_data:
        found = parse_data[PERSON_REQUEST]
        return isinstance(found, dict) and found.get("callback") is True
    text = latest.text or ""
    found_now = None if text.startswith("/") else detect(text)
    return found_now is not None and found_now.callback


def _since_reset(events: List[Any]) -> List[Any]:
    """The events after the latest handoff, handback or session start."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ActionExecuted) and event.action_name in TURN_RESETTING_ACTIONS:
            return events[index + 1 :]
    return events


def _customer_texts(events: List[Any]) -> List[str]:
    """What the customer typed, oldest first; commands and control messages left out."""
    return [
        event.text
        for event in events
        if isinstance(event, UserUttered)
        and event.text
        and not event.text.startswith("/")
        and event.intent_name not in CONTROL_INTENTS
    ]


def _sentiment(latest: UserUttered, thresholds: Thresholds) -> tuple[float, tuple[str, ...]]:
    sentiment = (latest.parse_data or {}).get(SENTIMENT)
    value = score_of(sentiment)
    if value is None:
        # Messages that skipped the NLU pipeline (payloads, replayed test stories) still
        # carry their text, and the score is a pure function of it.
        sentiment = score(latest.text, thresholds)
        value = score_of(sentiment)
    signals = sentiment.get("signals") if isinstance(sentiment, dict) else None
    fired = tuple(str(s) for s in signals) if isinstance(signals, list) else ()
    return float(value or 0.0), fired


def user_turn_signals(
    events: List[Any],
    latest: UserUttered,
    thresholds: Optional[Thresholds] = None,
    in_form: bool = False,
) -> Signals:
    """Signals after a customer message; ``events`` are the applied events, oldest first.

    While a form is active the language is not judged: a form's answers are names,
    addresses and numbers ("4 Rue de Rivoli, Paris"), not sentences in a language.
    """
    thresholds = thresholds or Thresholds()
    parse_data = latest.parse_data or {}
    sentiment, frustration = _sentiment(latest, thresholds)
    language = None
    if not in_form:
        observed = parse_data.get(LANGUAGE)
        if observed is None and latest.text:
            observed = observe(latest.text)
        language = foreign_language(observed, thresholds)
    recent = _since_reset(events)
    streak = 0
    turns = 0
    counting_streak = True
    # Whether the assistant answered the message before these events with its dialogue fallback.
    dialogue_fell_back = False
    for event in reversed(events):
        if isinstance(event, ActionExecuted) and event.action_name in TURN_RESETTING_ACTIONS:
            break
        if meets_goal(event, thresholds.goal_met_actions):
            counting_streak = False
            break
        if isinstance(event, ActionExecuted) and event.action_name in DIALOGUE_FALLBACK_ACTIONS:
            dialogue_fell_back = True
        if isinstance(event, UserUttered):
            name = event.intent_name
            not_understood = name == NLU_FALLBACK or dialogue_fell_back
            dialogue_fell_back = False
            if counting_streak and not_understood:
                streak += 1
            elif name not in CONTROL_INTENTS:
                counting_streak = False
            if name not in NEUTRAL_INTENTS:
                turns += 1
    return Signals(
        requested_person=requested_person(latest),
        callback=asked_callback(latest),
        confidence=_best_real_confidence(parse_data),
        low_confidence_streak=streak,
        sentiment=sentiment,
        turns_without_goal=turns,
        danger=_danger_reason(latest),
        frustration=frustration,
        repeated_message=repeat_streak(_customer_texts(recent), MIN_MESSAGE_WORDS),
        foreign_language=language,
    )


def _danger_reason(latest: UserUttered) -> Optional[str]:
    danger = danger_of(latest.text, latest.intent_name)
    return danger.reason if danger is not None else None


def action_turn_signals(events: List[Any], reasons: Any) -> Signals:
    """Signals after a bot action: a risk tier the actions set since the customer spoke, and
    how many times in a row the assistant has now given the same answer or ended its answer
    with the same question."""
    tier = None
    for event in reversed(events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_HANDOFF:
            return Signals()
        if isinstance(event, SlotSet) and event.key == "risk_tier":
            tier = event.value
            break
    listed = tuple(str(reason) for reason in reasons) if isinstance(reasons, list) else ()
    return Signals(
        risk_tier=tier if tier in HANDOFF_TIERS else None,
        risk_reasons=listed,
        repeated_answer=max(
            repeat_streak(answers(_since_reset(events))),
            repeat_streak(last_questions(_since_reset(events))),
        ),
    )
