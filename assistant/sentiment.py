"""Score every customer message with VADER and put the score on the parsed message.

The score lands in ``parse_data["sentiment"]`` as ``{"compound", "pos", "neu", "neg", "score",
"signals"}``: VADER's four numbers, the ``score`` the sentiment trigger reads (the compound
pushed down by the frustration signals of assistant/frustration.py) and the signals that fired.
``Message.set(..., add_to_output=True)`` adds it to the message's output properties, which
the processor copies into ``parse_data``, and ``UserUttered`` keeps (and persists) unknown
``parse_data`` keys. The handoff policy and the actions read it from there.

The component's parameters are the ``frustration_*`` thresholds of the handoff policy, passed
in config.yml with YAML anchors so they are edited in one place.
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035, UP045
import dataclasses
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
from assistant.frustration import frustration
from assistant.thresholds import Thresholds

SENTIMENT = "sentiment"


@functools.lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~50 ms; do it once per process.
    return SentimentIntensityAnalyzer()


def score(
    text: Optional[str], thresholds: Optional[Thresholds] = None
) -> Dict[str, float | List[str]]:
    """VADER scores of one text and the frustration score; commands are neutral."""
    if not text or text.startswith("/"):
        return {"compound": 0.0, "pos": 0.0, "neu": 1.0, "neg": 0.0, "score": 0.0, "signals": []}
    scores = _analyzer().polarity_scores(text)
    result: Dict[str, float | List[str]] = {
        key: float(scores[key]) for key in ("compound", "pos", "neu", "neg")
    }
    pushed = frustration(text, float(scores["compound"]), thresholds or Thresholds())
    result.update(score=pushed.score, signals=list(pushed.signals))
    return result


def score_of(sentiment: Any) -> Optional[float]:
    """The score the sentiment trigger reads from ``parse_data["sentiment"]``, if any.

    Messages stored before the frustration signals existed carry only VADER's compound.
    """
    if not isinstance(sentiment, dict):
        return None
    value = sentiment.get("score", sentiment.get("compound"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


FRUSTRATION_PARAMETERS = tuple(
    field.name for field in dataclasses.fields(Thresholds) if field.name.startswith("frustration_")
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentimentAnalyzer(GraphComponent):
    """Adds ``sentiment`` to every message; adds no features and learns nothing."""

    def __init__(self, thresholds: Optional[Thresholds] = None) -> None:
        self.thresholds = thresholds or Thresholds()

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        defaults = Thresholds()
        return {name: getattr(defaults, name) for name in FRUSTRATION_PARAMETERS}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentimentAnalyzer:
        # Fails training loudly when a designer mistypes a frustration parameter.
        params = {name: config[name] for name in FRUSTRATION_PARAMETERS if name in config}
        return cls(Thresholds.from_mapping(params))

    @staticmethod
    def required_packages() -> List[str]:
        return ["vaderSentiment"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(SENTIMENT, score(message.get(TEXT), self.thresholds), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples need no sentiment: nothing downstream learns from it.
        return training_data
