"""The embedding intent classifier learns intents from sentence features, ranked as Rasa does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.intent_classifier import EmbeddingIntentClassifier

# Two well-separated directions stand in for sentence embeddings of two intents.
CENTRES = {"track_order": np.array([1.0, 0.0, 0.0]), "return_item": np.array([0.0, 1.0, 0.0])}


def message(text: str, vector: np.ndarray, intent: str = "") -> Message:
    data = {TEXT: text, **({"intent": intent} if intent else {})}
    msg = Message(data=data)
    msg.add_features(
        Features(vector[None, :].astype(np.float32), FEATURE_TYPE_SENTENCE, TEXT, "emb")
    )
    return msg


def training_data(seed: int = 0) -> TrainingData:
    rng = np.random.default_rng(seed)
    examples: list[Message] = []
    for intent, centre in CENTRES.items():
        for i in range(10):
            examples.append(message(f"{intent} {i}", centre + 0.1 * rng.normal(size=3), intent))
    return TrainingData(examples)


def make(tmp_path: Path, **config: object) -> tuple:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_classifier")
    context = ExecutionContext(GraphSchema({}), node_name="intent_classifier")
    full = {**EmbeddingIntentClassifier.get_default_config(), **config}
    return (
        EmbeddingIntentClassifier.create(full, storage, resource, context),
        storage,
        resource,
        context,
    )


def test_a_trained_classifier_picks_the_intent_whose_examples_the_message_resembles(
    tmp_path: Path,
) -> None:
    classifier, *_ = make(tmp_path)
    classifier.train(training_data())
    msg = message("where is it", np.array([0.9, 0.1, 0.0]))
    classifier.process([msg])
    assert msg.get("intent")["name"] == "track_order"


def test_the_ranking_holds_every_intent_with_confidences_that_sum_to_one(tmp_path: Path) -> None:
    classifier, *_ = make(tmp_path)
    classifier.train(training_data())
    msg = message("hm", np.array([0.5, 0.5, 0.0]))
    classifier.process([msg])
    ranking = msg.get("intent_ranking")
    assert {r["name"] for r in ranking} == set(CENTRES)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert ranking[0] == msg.get("intent")


def test_a_loaded_classifier_gives_the_same_confidences_as_the_trained_one(tmp_path: Path) -> None:
    classifier, storage, resource, context = make(tmp_path)
    classifier.train(training_data())
    loaded = EmbeddingIntentClassifier.load(classifier.config, storage, resource, context)
    vector = np.array([0.7, 0.2, 0.1])
    trained_msg, loaded_msg = message("x", vector), message("x", vector)
    classifier.process([trained_msg])
    loaded.process([loaded_msg])
    assert loaded_msg.get("intent_ranking") == trained_msg.get("intent_ranking")


def test_a_larger_c_gives_a_more_confident_prediction(tmp_path: Path) -> None:
    vector = np.array([0.8, 0.2, 0.0])
    confidences = []
    for c in (0.1, 100.0):
        (tmp_path / str(c)).mkdir()
        classifier, *_ = make(tmp_path / str(c), C=c)
        classifier.train(training_data())
        msg = message("x", vector)
        classifier.process([msg])
        confidences.append(msg.get("intent")["confidence"])
    assert confidences[0] < confidences[1]


def test_sparse_sentence_features_are_used_when_given_a_weight(tmp_path: Path) -> None:
    data = training_data()
    for example in data.training_examples:
        # The sparse block alone tells the intents apart; the dense one is made uninformative.
        column = 0 if example.get("intent") == "track_order" else 1
        example.features = [
            Features(np.zeros((1, 3), dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "emb"),
            Features(
                scipy.sparse.coo_matrix(([1.0], ([0], [column])), shape=(1, 2)),
                FEATURE_TYPE_SENTENCE,
                TEXT,
                "cv",
            ),
        ]
    classifier, *_ = make(tmp_path, sparse_weight=1.0)
    classifier.train(data)
    msg = Message(data={TEXT: "x"})
    msg.features = [
        Features(np.zeros((1, 3), dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "emb"),
        Features(
            scipy.sparse.coo_matrix(([1.0], ([0], [1])), shape=(1, 2)),
            FEATURE_TYPE_SENTENCE,
            TEXT,
            "cv",
        ),
    ]
    classifier.process([msg])
    assert msg.get("intent")["name"] == "return_item"


def test_a_message_without_sentence_features_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    classifier, *_ = make(tmp_path)
    classifier.train(training_data())
    with pytest.raises(ValueError, match="needs sentence features"):
        classifier.process([Message(data={TEXT: "no features"})])


def test_a_c_that_is_not_positive_is_rejected() -> None:
    with pytest.raises(ValueError, match="C must be positive"):
        EmbeddingIntentClassifier.validate_config({"C": 0})
