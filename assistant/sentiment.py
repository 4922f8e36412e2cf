"""Score every customer message with VADER and put the score on the parsed message.

The score lands in ``parse_data["sentiment"]`` as ``{"compound", "pos", "neu", "neg"}``:
``Message.set(..., add_to_output=True)`` adds it to the message's output properties, which
the processor copies into ``parse_data``, and ``UserUttered`` keeps (and persists) unknown
``parse_data`` keys. The handoff policy and the actions read it from there.
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035, UP045
import functools
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Imported for its side effect: it registers the spaCy component that the saved pipeline
# (config.yml: SpacyNLP) needs, and Rasa imports this module before SpacyNLP loads it.
import assistant.pii  # noqa: F401

SENTIMENT = "sentiment"


@functools.lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~50 ms; do it once per process.
    return SentimentIntensityAnalyzer()


def score(text: Optional[str]) -> Dict[str, float]:
    """VADER scores of one text; commands such as ``/request_human`` are neutral."""
    if not text or text.startswith("/"):
        return {"compound": 0.0, "pos": 0.0, "neu": 1.0, "neg": 0.0}
    scores = _analyzer().polarity_scores(text)
    return {key: float(scores[key]) for key in ("compound", "pos", "neu", "neg")}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentimentAnalyzer(GraphComponent):
    """Adds ``sentiment`` to every message; adds no features and learns nothing."""

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
    ) -> SentimentAnalyzer:
        return cls()

    @staticmethod
    def required_packages() -> List[str]:
        return ["vaderSentiment"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(SENTIMENT, score(message.get(TEXT)), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples need no sentiment: nothing downstream learns from it.
        return training_data
