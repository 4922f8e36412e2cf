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


def training_data(seed: int = 0, examples_per_intent: int = 10) -> TrainingData:
    rng = np.random.default_rng(seed)
    examples: list[Message] = []
    for intent, centre in CENTRES.items():
        for i in range(examples_per_intent):
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
    # A wide ramp, so the factor stays measurably above zero.
    classifier, *_ = make(tmp_path, oos_width=50.0)
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
        # The out-of-scope factor is off: this is about the softmax alone.
        classifier, *_ = make(tmp_path / str(c), C=c, oos_quantile=0.0)
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


def test_about_the_calibration_quantile_of_held_out_examples_fall_below_the_cutoff(
    tmp_path: Path,
) -> None:
    classifier, *_ = make(tmp_path, oos_quantile=0.3, oos_holdout=0.5)
    classifier.train(training_data(examples_per_intent=40))
    # Fresh examples from the same intents stand in for held-out ones.
    fresh = training_data(seed=1, examples_per_intent=40).training_examples
    classifier.process(fresh)
    below = [e.get("out_of_scope_score")["factor"] < 1.0 for e in fresh]
    assert np.mean(below) == pytest.approx(0.3, abs=0.15)


def test_with_too_few_examples_to_hold_any_out_the_score_is_off(tmp_path: Path) -> None:
    classifier, *_ = make(tmp_path)
    classifier.train(training_data(examples_per_intent=1))
    msg = message("far", np.array([1.0, -0.2, 1.0]))
    classifier.process([msg])
    assert msg.get("out_of_scope_score") is None
    assert msg.get("intent")["name"] in CENTRES


def test_with_quantile_zero_the_confidences_are_the_softmax_alone(tmp_path: Path) -> None:
    classifier, *_ = make(tmp_path, oos_quantile=0.0)
    classifier.train(training_data())
    far = message("far", np.array([1.0, -0.2, 1.0]))
    classifier.process([far])
    probs, _ = classifier.predict_proba([far])
    assert far.get("intent")["confidence"] == pytest.approx(float(probs.max()))
    assert far.get("out_of_scope_score") is None


@pytest.mark.parametrize("shrinkage", [None, 0.0, 20.0])
def test_a_loaded_classifier_gives_the_same_out_of_scope_score(
    tmp_path: Path, shrinkage: float | None
) -> None:
    classifier, storage, resource, context = make(tmp_path, oos_shrinkage=shrinkage)
    classifier.train(training_data())
    loaded = EmbeddingIntentClassifier.load(classifier.config, storage, resource, context)
    vector = np.array([1.0, -0.2, 1.0])
    trained_msg, loaded_msg = message("x", vector), message("x", vector)
    classifier.process([trained_msg])
    loaded.process([loaded_msg])
    assert loaded_msg.get("out_of_scope_score") == trained_msg.get("out_of_scope_score")
    assert loaded_msg.get("intent_ranking") == trained_msg.get("intent_ranking")
    assert loaded._neighbours[2] == classifier._neighbours[2]
    assert loaded._neighbours[2].per_intent is (shrinkage is not None)


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ({"oos_neighbours": 0}, "oos_neighbours must be at least 1"),
        ({"oos_quantile": 1.0}, r"oos_quantile must be in \[0, 1\)"),
        ({"oos_quantile": -0.1}, r"oos_quantile must be in \[0, 1\)"),
        ({"oos_width": 0}, "oos_width must be positive"),
        ({"oos_holdout": 0}, r"oos_holdout must be in \(0, 1\)"),
        ({"oos_holdout": 1}, r"oos_holdout must be in \(0, 1\)"),
        ({"oos_shrinkage": -1}, "oos_shrinkage must be a number of 0 or more"),
        ({"oos_shrinkage": "20"}, "oos_shrinkage must be a number of 0 or more"),
        ({"oos_shrinkage": True}, "oos_shrinkage must be a number of 0 or more"),
        ({"oos_shrinkage": float("inf")}, "oos_shrinkage must be a number of 0 or more"),
    ],
)
def test_bad_out_of_scope_settings_are_rejected(config: dict, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        EmbeddingIntentClassifier.validate_config(config)


@pytest.mark.parametrize("shrinkage", [None, 0, 20, 2.5])
def test_good_shrinkage_settings_are_accepted(shrinkage: float | None) -> None:
    EmbeddingIntentClassifier.validate_config({"oos_shrinkage": shrinkage})


def test_a_sentence_about_something_else_gets_a_low_confidence_with_real_embeddings(
    tmp_path: Path,
) -> None:
    from assistant.embeddings import load_encoder

    texts = {
        "track_order": [
            "where is my order",
            "track my package",
            "when will my parcel arrive",
            "has my order shipped yet",
            "status of my delivery",
            "my package has not arrived",
            "where is my parcel now",
            "tracking number for my order",
            "is my order on its way",
            "when does my delivery come",
        ],
        "return_item": [
            "i want to return this",
            "how do i send it back",
            "return an item i bought",
            "can i get a refund for this",
            "start a return",
            "the shoes do not fit, i want to return them",
            "send back a broken lamp",
            "i would like my money back",
            "return policy for my purchase",
            "how do returns work",
        ],
    }
    encoder = load_encoder()
    examples = [
        message(text, vector, intent)
        for intent, group in texts.items()
        for text, vector in zip(group, encoder.encode(group), strict=True)
    ]
    classifier, *_ = make(tmp_path)
    classifier.train(TrainingData(examples))
    near_text, far_text = "where is my package", "what is the capital of australia"
    near, far = (
        message(t, v)
        for t, v in zip([near_text, far_text], encoder.encode([near_text, far_text]), strict=True)
    )
    classifier.process([near, far])
    assert near.get("intent")["name"] == "track_order"
    assert near.get("intent")["confidence"] > 0.45
    assert far.get("intent")["confidence"] < 0.45
    assert far.get("out_of_scope_score")["factor"] < 1.0
