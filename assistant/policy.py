"""A dialogue policy that brings in a person when a handoff trigger fires.

It reads the tracker into :class:`assistant.triggers.Signals`, lets the pure
:func:`assistant.triggers.decide` choose, and predicts ``action_handoff`` with the trigger
(kind, observed value, threshold) attached as an optional ``SlotSet("handoff_trigger")``
so the action knows why. When nothing fires it predicts nothing and the other policies
decide. Its parameters in config.yml are the thresholds (see assistant/thresholds.py).
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035, UP045
import dataclasses
from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY

from actions.cases import find as find_cases
from assistant.sentiment import SENTIMENT, score
from assistant.thresholds import Thresholds
from assistant.triggers import HANDOFF_TIERS, Signals, Trigger, decide
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
# Answering an FAQ meets the customer's goal; actions mark other goals with goal_met.
GOAL_ACTION_PREFIX = "utter_faq_"
TURN_RESETTING_ACTIONS = {ACTION_HANDOFF, ACTION_HANDBACK, ACTION_SESSION_START}


def _is_goal_met(event: Any) -> bool:
    if isinstance(event, SlotSet):
        return event.key == "goal_met" and event.value is True
    return isinstance(event, ActionExecuted) and (event.action_name or "").startswith(
        GOAL_ACTION_PREFIX
    )


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


def user_turn_signals(events: List[Any], latest: UserUttered) -> Signals:
    """Signals after a customer message; ``events`` are the applied events, oldest first."""
    parse_data = latest.parse_data or {}
    sentiment = (parse_data.get(SENTIMENT) or {}).get("compound")
    if sentiment is None:
        # Messages that skipped the NLU pipeline (payloads, replayed test stories) still
        # carry their text, and the score is a pure function of it.
        sentiment = score(latest.text)["compound"]
    streak = 0
    turns = 0
    counting_streak = True
    for event in reversed(events):
        if isinstance(event, ActionExecuted) and event.action_name in TURN_RESETTING_ACTIONS:
            break
        if _is_goal_met(event):
            counting_streak = False
            break
        if isinstance(event, UserUttered):
            name = event.intent_name
            if counting_streak and name == NLU_FALLBACK:
                streak += 1
            elif name not in CONTROL_INTENTS:
                counting_streak = False
            if name not in NEUTRAL_INTENTS:
                turns += 1
    return Signals(
        requested_person=requested_person(latest),
        confidence=_best_real_confidence(parse_data),
        low_confidence_streak=streak,
        sentiment=float(sentiment),
        turns_without_goal=turns,
    )


def action_turn_signals(events: List[Any], reasons: Any) -> Signals:
    """Signals after a bot action: a risk tier the actions set since the customer spoke."""
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
    return Signals(risk_tier=tier if tier in HANDOFF_TIERS else None, risk_reasons=listed)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HandoffPolicy(Policy):
    """Predicts ``action_handoff`` when a trigger fires, and listening right after it."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 6, **dataclasses.asdict(Thresholds())}

    def __init__(self, config: Dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        # Fails training loudly when a designer mistypes a threshold.
        self.thresholds = Thresholds.from_mapping(config)

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        # Nothing to learn: the decision is a rule over thresholds.
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[str, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        events = list(tracker.applied_events())
        latest_action = tracker.latest_action_name
        if latest_action == ACTION_HANDOFF:
            # After a failed handoff the rules offer the contact form; otherwise wait.
            if tracker.get_slot("handoff_status") == "failed":
                return self._abstain(domain)
            return self._predict(domain, ACTION_LISTEN_NAME)
        latest = tracker.latest_message
        if latest_action == ACTION_LISTEN_NAME:
            if latest is None or latest.intent_name in CONTROL_INTENTS or not latest.intent_name:
                return self._abstain(domain)
            signals = user_turn_signals(events, latest)
            if not signals.requested_person and find_cases(latest.text or ""):
                # A case a person must own: the risk check records it with its reason, then
                # the risk trigger below hands off, even when the classifier fell back.
                return self._predict(domain, ACTION_ASSESS_RISK, interrupt=True)
        else:
            signals = action_turn_signals(events, tracker.get_slot("risk_reasons"))
        trigger = decide(signals, self.thresholds)
        if trigger is None:
            return self._abstain(domain)
        return self._handoff(domain, trigger)

    def _abstain(self, domain: Domain) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain))

    def _predict(self, domain: Domain, action: str, interrupt: bool = False) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        # is_no_user_prediction lets the prediction win over an active form's happy path.
        return self._prediction(probabilities, is_no_user_prediction=interrupt)

    def _handoff(self, domain: Domain, trigger: Trigger) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(ACTION_HANDOFF)] = 1.0
        # is_no_user_prediction: a handoff must also win over an active form's happy path.
        return self._prediction(
            probabilities,
            optional_events=[SlotSet("handoff_trigger", trigger.as_dict())],
            is_no_user_prediction=True,
        )
