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

from assistant.intent_classifier import (
    EmbeddingIntentClassifier,
    confidence_factor,
    held_out_similarity,
    neighbour_similarity,
    unit_rows,
)

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


def test_the_ranking_holds_every_intent_with_confidences_that_sum_to_the_oos_factor(
    tmp_path: Path,
) -> None:
    classifier, *_ = make(tmp_path)
    classifier.train(training_data())
    msg = message("hm", np.array([0.5, 0.5, 0.0]))
    classifier.process([msg])
    ranking = msg.get("intent_ranking")
    assert {r["name"] for r in ranking} == set(CENTRES)
    # The softmax sums to one; a message between the intents' examples gets less in all.
    factor = msg.get("out_of_scope_score")["factor"]
    assert 0 < factor < 1
    assert sum(r["confidence"] for r in ranking) == pytest.approx(factor)
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


@pytest.mark.parametrize(
    ("similarity", "cutoff", "width", "factor"),
    [
        (0.9, 0.5, 0.05, 1.0),  # above the cutoff: the softmax is left alone
        (0.5, 0.5, 0.05, 1.0),  # at the cutoff
        (0.45, 0.5, 0.05, np.exp(-1.0)),  # one width below: a factor e lower
        (0.4, 0.5, 0.05, np.exp(-2.0)),
        (0.4, 0.5, 0.1, np.exp(-1.0)),  # a wider ramp falls more slowly
        (-1.0, 0.5, 0.05, np.exp(-30.0)),  # opposite to everything: next to nothing
    ],
)
def test_the_confidence_factor_falls_below_the_cutoff_by_e_per_width(
    similarity: float, cutoff: float, width: float, factor: float
) -> None:
    assert confidence_factor(np.array([similarity]), cutoff, width)[0] == pytest.approx(factor)


def test_a_width_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="width must be positive"):
        confidence_factor(np.array([0.1]), 0.5, 0.0)


EXAMPLES = unit_rows(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-1.0, 0.0]]))


@pytest.mark.parametrize(
    ("query", "k", "expected"),
    [
        ([1.0, 0.0], 1, 1.0),  # the same as an example
        ([1.0, 0.0], 2, (1.0 + 0.8) / 2),  # mean over the two nearest
        ([0.0, -1.0], 1, 0.0),  # orthogonal to the nearest ones
        ([2.0, 0.0], 1, 1.0),  # length does not matter, only the direction
        ([1.0, 0.0], 9, (1.0 + 0.8 + 0.0 - 1.0) / 4),  # k larger than the examples: all
    ],
)
def test_the_neighbour_similarity_is_the_mean_cosine_of_the_k_nearest_examples(
    query: list[float], k: int, expected: float
) -> None:
    similarity = neighbour_similarity(unit_rows(np.array([query])), EXAMPLES, k)
    assert similarity[0] == pytest.approx(expected)


def test_held_out_similarity_leaves_each_example_out_of_its_own_neighbours() -> None:
    # Nearest other example: [1,0] -> [0.8,0.6] (0.8); [0.8,0.6] -> [1,0] (0.8);
    # [0,1] -> [0.8,0.6] (0.6); [-1,0] -> [0,1] (0.0).
    assert held_out_similarity(EXAMPLES, 1) == pytest.approx([0.8, 0.8, 0.6, 0.0])


def test_a_message_far_from_every_example_gets_a_low_confidence_however_sure_the_softmax(
    tmp_path: Path,
) -> None:
    classifier, *_ = make(tmp_path, C=100.0)
    classifier.train(training_data())
    near, far = (
        message("near", np.array([1.0, 0.05, 0.0])),
        message("far", np.array([1.0, -0.2, 1.0])),
    )
    classifier.process([near, far])
    probs, _ = classifier.predict_proba([far])
    assert probs.max() > 0.9  # the regression alone would answer it
    assert far.get("intent")["confidence"] < 0.1
    assert near.get("intent")["confidence"] > 0.9
    assert far.get("out_of_scope_score")["factor"] < 0.1
    assert near.get("out_of_scope_score")["factor"] == 1.0


def test_about_the_calibration_quantile_of_training_examples_fall_below_the_cutoff(
    tmp_path: Path,
) -> None:
    data = training_data()
    classifier, *_ = make(tmp_path, oos_quantile=0.25, oos_neighbours=1)
    classifier.train(data)
    classifier.process(data.training_examples)
    held_out = held_out_similarity(
        unit_rows(np.vstack([e.features[0].features for e in data.training_examples])), 1
    )
    cutoff = classifier._neighbours[1]
    assert np.mean(held_out < cutoff) == pytest.approx(0.25, abs=0.05)


def test_with_quantile_zero_the_confidences_are_the_softmax_alone(tmp_path: Path) -> None:
    classifier, *_ = make(tmp_path, oos_quantile=0.0)
    classifier.train(training_data())
    far = message("far", np.array([1.0, -0.2, 1.0]))
    classifier.process([far])
    probs, _ = classifier.predict_proba([far])
    assert far.get("intent")["confidence"] == pytest.approx(float(probs.max()))
    assert far.get("out_of_scope_score") is None


def test_a_loaded_classifier_gives_the_same_out_of_scope_score(tmp_path: Path) -> None:
    classifier, storage, resource, context = make(tmp_path)
    classifier.train(training_data())
    loaded = EmbeddingIntentClassifier.load(classifier.config, storage, resource, context)
    vector = np.array([1.0, -0.2, 1.0])
    trained_msg, loaded_msg = message("x", vector), message("x", vector)
    classifier.process([trained_msg])
    loaded.process([loaded_msg])
    assert loaded_msg.get("out_of_scope_score") == trained_msg.get("out_of_scope_score")
    assert loaded_msg.get("intent_ranking") == trained_msg.get("intent_ranking")


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({"oos_neighbours": 0}, "oos_neighbours must be at least 1"),
        ({"oos_quantile": 1.0}, r"oos_quantile must be in \[0, 1\)"),
        ({"oos_quantile": -0.1}, r"oos_quantile must be in \[0, 1\)"),
        ({"oos_width": 0}, "oos_width must be positive"),
    ],
)
def test_bad_out_of_scope_settings_are_rejected(config: dict, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        EmbeddingIntentClassifier.validate_config(config)
