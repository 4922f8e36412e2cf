"""Write the language of every customer message into the parsed message.

The observation of :func:`assistant.languages.observe` lands in ``parse_data["language"]`` the
way the sentiment score does (``add_to_output=True``); the handoff policy decides with the
thresholds in config.yml whether it is a language the assistant does not speak.
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.languages import observe

LANGUAGE = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds ``language`` to every message; adds no features and learns nothing."""

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
    ) -> LanguageDetector:
        return cls()

    @staticmethod
    def required_packages() -> List[str]:
        return ["py3langid"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(LANGUAGE, observe(message.get(TEXT)), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples need no language: nothing downstream learns from it.
        return training_data
