"""A dialogue policy that brings in a person when a handoff trigger fires.

Rasa's glue around :func:`assistant.step.next_step`, which reads the tracker into
:class:`assistant.triggers.Signals` and lets the pure :func:`assistant.triggers.decide`
choose. A handoff is predicted as ``action_handoff`` with the trigger (kind, observed value,
threshold) attached as an optional ``SlotSet("handoff_trigger")`` so the action knows why.
When nothing fires it predicts nothing and the other policies decide. Its parameters in
config.yml are the thresholds (see assistant/thresholds.py).
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035, UP045
import dataclasses
from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.signals import ACTION_HANDOFF
from assistant.step import next_step
from assistant.thresholds import Thresholds
from assistant.triggers import Trigger


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HandoffPolicy(Policy):
    """Predicts ``action_handoff`` when a trigger fires, and listening right after it."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        defaults = dataclasses.asdict(Thresholds())
        # Lists, as Rasa reads them from config.yml.
        lists = {k: list(v) for k, v in defaults.items() if isinstance(v, tuple)}
        return {"priority": 6, **defaults, **lists}

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
        step = next_step(tracker, self.thresholds)
        if step.action is None:
            return self._abstain(domain)
        if step.trigger is not None:
            return self._handoff(domain, step.trigger)
        return self._predict(domain, step.action, step.interrupt)

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
