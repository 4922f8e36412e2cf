"""Make a question about who is answering ("are you a bot?") the ``bot_challenge`` intent.

Runs after the FallbackClassifier, so a question the classifier did not understand, or took
for a request for a person ("is there a person on the other end?"), still gets the truthful
answer (``utter_iamabot``) instead of the not-understood reply or a handoff. The rules answer
``bot_challenge`` in every dialogue state, a form included. A message that the person detector
found to ask for a person is left as it is: the request wins. What counts is
``assistant/identity.py``; the finding is also kept as ``parse_data["identity_question"]``.
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.identity import identity_question
from assistant.person_detector import PERSON_REQUEST

BOT_CHALLENGE = "bot_challenge"
IDENTITY_QUESTION = "identity_question"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IdentityQuestionClassifier(GraphComponent):
    """Sets ``bot_challenge`` (confidence 1) on identity questions; learns nothing."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IdentityQuestionClassifier:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = None
            if not text.startswith("/") and not message.get(PERSON_REQUEST):
                found = identity_question(text)
            message.set(IDENTITY_QUESTION, found, add_to_output=True)
            if found is None:
                continue
            intent = {INTENT_NAME_KEY: BOT_CHALLENGE, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                ranked
                for ranked in message.get(INTENT_RANKING_KEY) or []
                if ranked.get(INTENT_NAME_KEY) != BOT_CHALLENGE
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
