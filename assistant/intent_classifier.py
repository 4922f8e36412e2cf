"""Classify intents with a logistic regression over sentence embeddings and n-gram counts.

Rasa's own ``LogisticRegressionClassifier`` stacks raw n-gram counts beside the unit-length
embedding with a fixed regularisation, so the counts drown the embedding. This component
scales each kind of sentence feature to unit length, weighs them, and learns a multinomial
logistic regression whose softmax confidences go into Rasa's usual ``intent`` and
``intent_ranking``, so the fallback and handoff thresholds keep their meaning. The trained
weights are stored as plain arrays (no pickle), and prediction is one matrix product.

Every message also gets an out-of-scope score (``assistant.out_of_scope``: the regression's
energy plus the similarity to the nearest training examples of the predicted intent). Below a
cutoff the confidences are multiplied by ``exp(-(cutoff - score) / oos_width)``, so a message
unlike the training data falls under the FallbackClassifier's threshold however sure the softmax
is. The cutoff is calibrated in ``train`` on held-out training data: ``oos_holdout`` of each
intent's examples are set aside, a regression is fitted on the rest and scores them, and the
cutoff is the ``oos_quantile`` quantile of those scores; the final regression is then fitted on
all examples (starting from the first one's weights, which saves iterations). With
``oos_shrinkage`` set, the similarity is standardised per predicted intent
(``assistant.out_of_scope.Calibration``).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

from assistant.features import dense_embeddings, feature_matrix
from assistant.out_of_scope import (
    Calibration,
    confidence_factor,
    holdout_split,
    signals,
    unit_rows,
)

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "weights.npz"
# Key of the out-of-scope score in the parse output (energy, similarity, score, cutoff, factor).
OOS_SCORE = "out_of_scope_score"


def _coefficients(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """A fitted regression's weights with one row per class."""
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:
        # With two intents sklearn keeps one weight vector (for the second); softmax over
        # logits (0, z) is the same sigmoid, so the prediction code needs no special case.
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([np.zeros_like(intercept), intercept])
    return coef.astype(np.float32), intercept.astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmbeddingIntentClassifier(IntentClassifier, GraphComponent):
    """Multinomial logistic regression over the sentence features of the message text."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Inverse L2 strength: larger means sharper confidences (fewer fallbacks, more
            # out-of-scope messages answered). 30 was chosen on CLINC150's validation split
            # for the product's fallback threshold (docs/benchmarks.md).
            "C": 30.0,
            # Length of the n-gram block relative to the (unit-length) embedding; 0 ignores
            # it. N-grams added ~0.5 point of accuracy on the benchmarks but multiplied the
            # training time by ten, so they are off by default.
            "sparse_weight": 0.0,
            "max_iter": 300,
            # Out-of-scope score: the similarity part is the mean cosine similarity to this
            # many nearest training examples of the predicted intent.
            "oos_neighbours": 3,
            # Share of the held-out training examples whose score falls below the cutoff;
            # 0 turns the score off (softmax confidence only).
            "oos_quantile": 0.005,
            # Below the cutoff, confidences fall by a factor e per this much score.
            "oos_width": 0.05,
            # Share of each intent's examples held out to calibrate the score.
            "oos_holdout": 0.2,
            # The similarity standardised per intent, each intent's figures shrunk towards
            # the overall ones by this many held-out examples' worth; None: overall only.
            "oos_shrinkage": None,
            RANKING_LENGTH: LABEL_RANKING_LENGTH,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: tuple[np.ndarray, np.ndarray, list[str]] | None = None,
        neighbours: tuple[np.ndarray, np.ndarray, Calibration] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights
        # Unit-length training embeddings, their intents (indices into the labels) and the
        # calibration of the out-of-scope score (None: score off).
        self._neighbours = neighbours

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmbeddingIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if float(config.get("C", 1.0)) <= 0:
            raise ValueError("EmbeddingIntentClassifier: C must be positive.")
        if float(config.get("sparse_weight", 0.0)) < 0:
            raise ValueError("EmbeddingIntentClassifier: sparse_weight cannot be negative.")
        if int(config.get("oos_neighbours", 1)) < 1:
            raise ValueError("EmbeddingIntentClassifier: oos_neighbours must be at least 1.")
        if not 0.0 <= float(config.get("oos_quantile", 0.0)) < 1.0:
            raise ValueError("EmbeddingIntentClassifier: oos_quantile must be in [0, 1).")
        if float(config.get("oos_width", 1.0)) <= 0:
            raise ValueError("EmbeddingIntentClassifier: oos_width must be positive.")
        if not 0.0 < float(config.get("oos_holdout", 0.2)) < 1.0:
            raise ValueError("EmbeddingIntentClassifier: oos_holdout must be in (0, 1).")
        shrinkage = config.get("oos_shrinkage")
        if shrinkage is not None and (
            isinstance(shrinkage, bool)
            or not isinstance(shrinkage, (int, float))
            or not 0 <= shrinkage < float("inf")
        ):
            raise ValueError(
                "EmbeddingIntentClassifier: oos_shrinkage must be a number of 0 or more, "
                f"or null for the overall figures only; got {shrinkage!r}."
            )

    def train(self, training_data: TrainingData) -> Resource:
        """Learns one weight vector per intent from the intent examples."""
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.debug("EmbeddingIntentClassifier: fewer than two intents, nothing to learn.")
            return self._resource
        features = feature_matrix(examples, float(self.config["sparse_weight"]))
        intents = np.array([str(e.get(INTENT)) for e in examples])
        # warm_start: the final fit starts from the calibration fit's weights.
        model = LogisticRegression(
            C=float(self.config["C"]),
            max_iter=int(self.config["max_iter"]),
            solver="lbfgs",
            warm_start=True,
        )
        calibration = self._calibrate(model, features, intents, dense_embeddings(examples))
        model.fit(features, intents)
        self._weights = (*_coefficients(model), [str(c) for c in model.classes_])
        self._neighbours = calibration
        self.persist()
        return self._resource

    def _calibrate(
        self,
        model: Any,
        features: scipy.sparse.csr_matrix,
        intents: np.ndarray,
        embeddings: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray, Calibration] | None:
        """Fits ``model`` on part of the examples and calibrates the score on the rest."""
        quantile = float(self.config["oos_quantile"])
        if quantile <= 0 or embeddings is None:
            return None
        fit, held = holdout_split(intents, float(self.config["oos_holdout"]))
        if len(held) == 0:
            logger.warning("EmbeddingIntentClassifier: too few examples to calibrate; score off.")
            return None
        model.fit(features[fit], intents[fit])
        coef, intercept = _coefficients(model)
        logits = np.asarray(features[held] @ coef.T) + intercept
        labels = np.searchsorted(model.classes_, intents)
        embeddings = unit_rows(embeddings)
        held_out = signals(
            logits,
            embeddings[held],
            embeddings[fit],
            labels[fit],
            int(self.config["oos_neighbours"]),
        )
        shrinkage = self.config.get("oos_shrinkage")
        calibration = Calibration.from_held_out(
            *held_out,
            quantile,
            predicted=logits.argmax(axis=1),
            intents=len(model.classes_),
            shrinkage=None if shrinkage is None else float(shrinkage),
        )
        logger.debug("EmbeddingIntentClassifier: out-of-scope calibration %s.", calibration)
        return embeddings, labels.astype(np.int32), calibration

    def logits(self, messages: list[Message]) -> np.ndarray:
        """The regression's logit of every intent for each message."""
        if self._weights is None:
            raise ValueError("EmbeddingIntentClassifier has not been trained.")
        coef, intercept, _ = self._weights
        features = feature_matrix(messages, float(self.config["sparse_weight"]))
        return np.asarray(features @ coef.T) + intercept

    def out_of_scope_score(self, messages: list[Message], logits: np.ndarray) -> list[dict] | None:
        """Per message: the two signals, their standardised sum, the cutoff and the factor."""
        if self._neighbours is None:
            return None
        examples, labels, calibration = self._neighbours
        queries = dense_embeddings(messages)
        if queries is None:
            raise ValueError("EmbeddingIntentClassifier: messages have no dense sentence features.")
        energies, similarity = signals(
            logits, unit_rows(queries), examples, labels, int(self.config["oos_neighbours"])
        )
        score = calibration.score(energies, similarity, np.asarray(logits).argmax(axis=1))
        factor = confidence_factor(score, calibration.cutoff, float(self.config["oos_width"]))
        return [
            {
                "energy": float(e),
                "similarity": float(m),
                "score": float(v),
                "cutoff": calibration.cutoff,
                "factor": float(f),
            }
            for e, m, v, f in zip(energies, similarity, score, factor, strict=True)
        ]

    def predict_proba(self, messages: list[Message]) -> tuple[np.ndarray, list[str]]:
        """Softmax confidence of every intent for each message, and the intent names."""
        return _softmax(self.logits(messages)), self._labels()

    def _labels(self) -> list[str]:
        assert self._weights is not None
        return self._weights[2]

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets ``intent`` and ``intent_ranking`` on each message that has text."""
        with_text = [m for m in messages if m.get(TEXT)]
        if self._weights is None or not with_text:
            return messages
        logits = self.logits(with_text)
        probs, labels = _softmax(logits), self._labels()
        scored = self.out_of_scope_score(with_text, logits)
        length = int(self.config[RANKING_LENGTH])
        for index, (message, row) in enumerate(zip(with_text, probs, strict=True)):
            order = np.argsort(-row)
            factor = 1.0
            if scored is not None:
                factor = scored[index]["factor"]
                message.set(OOS_SCORE, scored[index], add_to_output=True)
            ranking = [{"name": labels[i], "confidence": float(row[i]) * factor} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking, add_to_output=True
            )
        return messages

    def persist(self) -> None:
        """Stores the weights as arrays; loading them runs no code from the file."""
        assert self._weights is not None
        coef, intercept, labels = self._weights
        neighbours: dict[str, np.ndarray] = {}
        if self._neighbours is not None:
            neighbours = {
                "examples": self._neighbours[0],
                "example_labels": self._neighbours[1],
                "calibration": self._neighbours[2].to_array(),
            }
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(
                directory / WEIGHTS_FILE,
                coef=coef,
                intercept=intercept,
                labels=np.array(labels, dtype=str),
                **neighbours,
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmbeddingIntentClassifier:
        try:
            with (
                model_storage.read_from(resource) as directory,
                np.load(directory / WEIGHTS_FILE, allow_pickle=False) as stored,
            ):
                weights = (stored["coef"], stored["intercept"], list(stored["labels"]))
                neighbours = None
                if "calibration" in stored.files:
                    neighbours = (
                        stored["examples"],
                        stored["example_labels"],
                        Calibration.from_array(stored["calibration"]),
                    )
        except (ValueError, FileNotFoundError):
            # Trained on data with fewer than two intents: nothing was stored.
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, weights, neighbours)
