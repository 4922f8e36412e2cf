"""Classify intents with a logistic regression over sentence embeddings and n-gram counts.

Rasa's own ``LogisticRegressionClassifier`` stacks raw n-gram counts beside the unit-length
embedding with a fixed regularisation, so the counts drown the embedding. This component
scales each kind of sentence feature to unit length, weighs them, and learns a multinomial
logistic regression whose softmax confidences go into Rasa's usual ``intent`` and
``intent_ranking``, so the fallback and handoff thresholds keep their meaning. The trained
weights are stored as plain arrays (no pickle), and prediction is one matrix product.

A confident softmax does not mean the message is like anything the assistant was trained on:
the regression extrapolates. So every message also gets an out-of-scope score, the mean cosine
similarity of its embedding to its ``oos_neighbours`` most similar training examples (one
matrix product against the stored unit-length training embeddings). Below a cutoff the
confidences are multiplied by ``exp(-(cutoff - similarity) / oos_width)``, so a message far from
every example falls under the FallbackClassifier's threshold however sure the softmax is. The
cutoff is calibrated in ``train`` on the training data itself: each example is held out in turn
(its similarity to the *other* examples), and the cutoff is the ``oos_quantile`` quantile of
those held-out similarities, so about that share of in-scope messages gets a lower confidence.
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

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "weights.npz"
# Key of the out-of-scope score in the parse output (similarity, cutoff, factor).
OOS_SCORE = "out_of_scope_score"
# Rows of held-out similarities computed at once in calibration (memory: rows x examples).
CALIBRATION_CHUNK = 1024


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """The rows scaled to length one (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def neighbour_similarity(
    queries: np.ndarray, examples: np.ndarray, k: int, exclude_self_from: int | None = None
) -> np.ndarray:
    """Mean cosine similarity of each (unit) query row to its ``k`` most similar example rows.

    With ``exclude_self_from`` the queries are ``examples[exclude_self_from:...]`` themselves,
    and each one's own row is left out (its held-out similarity).
    """
    if k < 1:
        raise ValueError("neighbour_similarity: k must be at least 1.")
    similarity = queries @ examples.T
    if exclude_self_from is not None:
        rows = np.arange(len(queries))
        similarity[rows, exclude_self_from + rows] = -np.inf
    k = min(k, similarity.shape[1] - (1 if exclude_self_from is not None else 0))
    if k < 1:
        return np.ones(len(queries), dtype=np.float32)
    top = np.partition(similarity, similarity.shape[1] - k, axis=1)[:, -k:]
    return top.mean(axis=1)


def held_out_similarity(examples: np.ndarray, k: int) -> np.ndarray:
    """Each example's similarity to its ``k`` nearest *other* examples."""
    return np.concatenate(
        [
            neighbour_similarity(examples[start : start + CALIBRATION_CHUNK], examples, k, start)
            for start in range(0, len(examples), CALIBRATION_CHUNK)
        ]
    )


def confidence_factor(similarity: np.ndarray, cutoff: float, width: float) -> np.ndarray:
    """1 at or above the cutoff; below it, falls by a factor e for every ``width`` of distance."""
    if width <= 0:
        raise ValueError("confidence_factor: width must be positive.")
    return np.exp(-np.clip(cutoff - np.asarray(similarity, dtype=np.float64), 0.0, None) / width)


def _unit_rows(matrix: scipy.sparse.csr_matrix) -> scipy.sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return scipy.sparse.diags(1.0 / norms) @ matrix


def dense_embeddings(messages: list[Message]) -> np.ndarray | None:
    """The dense sentence features, one row per message; None when no message has any."""
    rows = [message.get_dense_features(TEXT)[1] for message in messages]
    if all(row is None for row in rows):
        return None
    if any(row is None for row in rows):
        raise ValueError("EmbeddingIntentClassifier: messages have unequal dense features.")
    return np.vstack([row.features[0] for row in rows if row is not None]).astype(np.float32)


def feature_matrix(messages: list[Message], sparse_weight: float) -> scipy.sparse.csr_matrix:
    """One row per message: dense sentence features, then sparse ones (unit length, weighed)."""
    dense_rows, sparse_rows = [], []
    for message in messages:
        _, dense = message.get_dense_features(TEXT)
        _, sparse = message.get_sparse_features(TEXT)
        dense_rows.append(dense.features[0] if dense is not None else None)
        sparse_rows.append(sparse.features.tocsr() if sparse is not None else None)
    blocks = []
    widths = {row.shape[0] for row in dense_rows if row is not None}
    if widths:
        if len(widths) > 1 or any(row is None for row in dense_rows):
            raise ValueError("EmbeddingIntentClassifier: messages have unequal dense features.")
        blocks.append(scipy.sparse.csr_matrix(np.vstack(dense_rows).astype(np.float32)))
    if sparse_weight > 0 and any(row is not None for row in sparse_rows):
        if any(row is None for row in sparse_rows):
            raise ValueError("EmbeddingIntentClassifier: messages have unequal sparse features.")
        blocks.append(sparse_weight * _unit_rows(scipy.sparse.vstack(sparse_rows).tocsr()))
    if not blocks:
        raise ValueError(
            "EmbeddingIntentClassifier needs sentence features: put a featurizer before it."
        )
    return scipy.sparse.hstack(blocks).tocsr().astype(np.float32)


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
            # Out-of-scope score: mean cosine similarity to this many nearest training examples.
            "oos_neighbours": 3,
            # Share of held-out training examples whose similarity falls below the cutoff;
            # 0 turns the score off (softmax confidence only).
            "oos_quantile": 0.003,
            # Below the cutoff, confidences fall by a factor e per this much similarity.
            "oos_width": 0.05,
            RANKING_LENGTH: LABEL_RANKING_LENGTH,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: tuple[np.ndarray, np.ndarray, list[str]] | None = None,
        neighbours: tuple[np.ndarray, float] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights
        # Unit-length training embeddings and the calibrated cutoff (None: score off).
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

    def train(self, training_data: TrainingData) -> Resource:
        """Learns one weight vector per intent from the intent examples."""
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.debug("EmbeddingIntentClassifier: fewer than two intents, nothing to learn.")
            return self._resource
        features = feature_matrix(examples, float(self.config["sparse_weight"]))
        model = LogisticRegression(
            C=float(self.config["C"]), max_iter=int(self.config["max_iter"]), solver="lbfgs"
        )
        model.fit(features, [e.get(INTENT) for e in examples])
        coef, intercept = model.coef_, model.intercept_
        if coef.shape[0] == 1:
            # With two intents sklearn keeps one weight vector (for the second); softmax over
            # logits (0, z) is the same sigmoid, so the prediction code needs no special case.
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([np.zeros_like(intercept), intercept])
        self._weights = (
            coef.astype(np.float32),
            intercept.astype(np.float32),
            [str(c) for c in model.classes_],
        )
        self._neighbours = self._calibrate(examples)
        self.persist()
        return self._resource

    def _calibrate(self, examples: list[Message]) -> tuple[np.ndarray, float] | None:
        quantile = float(self.config["oos_quantile"])
        embeddings = dense_embeddings(examples)
        if quantile <= 0 or embeddings is None:
            return None
        embeddings = unit_rows(embeddings)
        held_out = held_out_similarity(embeddings, int(self.config["oos_neighbours"]))
        cutoff = float(np.quantile(held_out, quantile))
        logger.debug("EmbeddingIntentClassifier: out-of-scope cutoff %.3f.", cutoff)
        return embeddings, cutoff

    def out_of_scope_factor(self, messages: list[Message]) -> tuple[np.ndarray, np.ndarray] | None:
        """Per message: similarity to the training examples and the factor on its confidences."""
        if self._neighbours is None:
            return None
        embeddings, cutoff = self._neighbours
        queries = dense_embeddings(messages)
        if queries is None:
            raise ValueError("EmbeddingIntentClassifier: messages have no dense sentence features.")
        similarity = neighbour_similarity(
            unit_rows(queries), embeddings, int(self.config["oos_neighbours"])
        )
        return similarity, confidence_factor(similarity, cutoff, float(self.config["oos_width"]))

    def predict_proba(self, messages: list[Message]) -> tuple[np.ndarray, list[str]]:
        """Softmax confidence of every intent for each message, and the intent names."""
        if self._weights is None:
            raise ValueError("EmbeddingIntentClassifier has not been trained.")
        coef, intercept, labels = self._weights
        logits = feature_matrix(messages, float(self.config["sparse_weight"])) @ coef.T
        logits = np.asarray(logits) + intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True), labels

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets ``intent`` and ``intent_ranking`` on each message that has text."""
        with_text = [m for m in messages if m.get(TEXT)]
        if self._weights is None or not with_text:
            return messages
        probs, labels = self.predict_proba(with_text)
        scored = self.out_of_scope_factor(with_text)
        length = int(self.config[RANKING_LENGTH])
        for index, (message, row) in enumerate(zip(with_text, probs, strict=True)):
            order = np.argsort(-row)
            factor = 1.0
            if scored is not None:
                factor = float(scored[1][index])
                message.set(
                    OOS_SCORE,
                    {
                        "similarity": float(scored[0][index]),
                        "cutoff": self._neighbours[1] if self._neighbours else None,
                        "factor": factor,
                    },
                    add_to_output=True,
                )
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
                "cutoff": np.array(self._neighbours[1], dtype=np.float64),
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
                if "examples" in stored.files:
                    neighbours = (stored["examples"], float(stored["cutoff"]))
        except (ValueError, FileNotFoundError):
            # Trained on data with fewer than two intents: nothing was stored.
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, weights, neighbours)
