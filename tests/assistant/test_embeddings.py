"""The sentence-embedding featurizer reproduces all-MiniLM-L6-v2 and feeds Rasa dense features.

``minilm_reference.json`` holds vectors that sentence-transformers (on torch) computed for the
same packaged model, so these tests compare against the reference implementation, not against
this code's own earlier output.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.embeddings import (
    DIMENSIONS,
    SentenceEmbeddingFeaturizer,
    length_buckets,
    load_encoder,
)

REFERENCE = json.loads((Path(__file__).parent / "minilm_reference.json").read_text())


@pytest.fixture(scope="module")
def featurizer() -> SentenceEmbeddingFeaturizer:
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    return SentenceEmbeddingFeaturizer.create(
        SentenceEmbeddingFeaturizer.get_default_config(),
        None,
        None,
        context,  # type: ignore[arg-type]
    )


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def sentence_vector(message: Message) -> np.ndarray:
    _, sentence = message.get_dense_features(TEXT)
    assert sentence is not None
    return sentence.features[0]


def test_embeddings_match_sentence_transformers_for_every_reference_sentence() -> None:
    ours = load_encoder().encode(REFERENCE["sentences"], batch_size=5)
    similarity = cosine(ours, np.array(REFERENCE["vectors"]))
    assert similarity.min() > 0.999, similarity


def test_a_text_gets_the_same_vector_alone_and_padded_in_a_batch_of_longer_texts() -> None:
    encoder = load_encoder()
    short = "where is my order"
    alone = encoder.encode([short])
    padded = encoder.encode([short, REFERENCE["sentences"][-1]], batch_size=2)[:1]
    assert cosine(alone, padded)[0] > 0.99999


def test_texts_batched_by_length_come_back_in_input_order_equal_to_each_embedded_alone() -> None:
    encoder = load_encoder()
    # Lengths deliberately out of order, so sorting into buckets reorders them.
    texts = [REFERENCE["sentences"][-1], "ok", "where is my order", "hi", REFERENCE["sentences"][0]]
    batched = encoder.encode(texts, batch_size=2)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    np.testing.assert_allclose(batched, alone, atol=1e-5)


def test_length_buckets_cover_every_index_once_and_group_similar_lengths() -> None:
    buckets = length_buckets([5, 1, 9, 2, 5, 1, 7], batch_size=3)
    assert sorted(i for bucket in buckets for i in bucket) == list(range(7))
    assert [len(bucket) for bucket in buckets] == [3, 3, 1]
    assert buckets[0] == [1, 5, 3] and buckets[-1] == [2]


def test_encoding_no_texts_gives_an_empty_matrix() -> None:
    assert load_encoder().encode([]).shape == (0, DIMENSIONS)


def test_embeddings_have_unit_length() -> None:
    vectors = load_encoder().encode(["ok", "I want to return a jacket"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_each_message_gets_one_dense_sentence_feature_and_no_sequence_feature(
    featurizer: SentenceEmbeddingFeaturizer,
) -> None:
    message = Message(data={TEXT: "Can I return these shoes?"})
    featurizer.process([message])
    features = message.features
    assert [(f.type, f.attribute, f.origin) for f in features] == [
        (FEATURE_TYPE_SENTENCE, TEXT, "embeddings")
    ]
    assert features[0].features.shape == (1, DIMENSIONS)
    assert not [f for f in features if f.type == FEATURE_TYPE_SEQUENCE]


def test_training_and_inference_give_a_text_the_same_vector(
    featurizer: SentenceEmbeddingFeaturizer,
) -> None:
    text = "how do i change the delivery address"
    training = TrainingData(
        [
            Message(data={TEXT: text, "intent": "change_address"}),
            Message(data={TEXT: "thanks, that's all", "intent": "goodbye"}),
        ]
    )
    featurizer.process_training_data(training)
    live = Message(data={TEXT: text})
    featurizer.process([live])
    np.testing.assert_allclose(
        sentence_vector(training.training_examples[0]), sentence_vector(live), atol=1e-6
    )


def test_a_message_without_text_gets_no_features(featurizer: SentenceEmbeddingFeaturizer) -> None:
    message = Message(data={"intent": "greet"})
    featurizer.process([message])
    assert message.features == []


def test_a_batch_size_below_one_is_rejected() -> None:
    config = {**SentenceEmbeddingFeaturizer.get_default_config(), "batch_size": 0}
    with pytest.raises(ValueError, match="batch_size"):
        SentenceEmbeddingFeaturizer.validate_config(config)


def test_the_last_layer_alone_is_the_default_vector() -> None:
    encoder = load_encoder()
    texts = ["where is my parcel", "I want to speak to a person"]
    np.testing.assert_allclose(
        encoder.encode(texts, layers=[encoder.layers]), encoder.encode(texts), atol=1e-6
    )


def test_several_layers_sit_side_by_side_in_the_order_given_with_unit_length() -> None:
    encoder = load_encoder()
    texts = ["ok", "can I get a refund for the broken lamp"]
    last = encoder.encode(texts)
    both = encoder.encode(texts, layers=[6, 3])
    assert both.shape == (2, 2 * DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(both, axis=1), 1.0, atol=1e-5)
    # Each layer's block is that layer's unit vector over sqrt(2): the first block is layer 6's.
    np.testing.assert_allclose(both[:, :DIMENSIONS] * np.sqrt(2), last, atol=1e-5)
    layer3 = encoder.encode(texts, layers=[3])
    np.testing.assert_allclose(both[:, DIMENSIONS:] * np.sqrt(2), layer3, atol=1e-5)
    # A lower layer is a different vector, not a copy of the last one.
    assert float(np.sum(layer3[1] * last[1])) < 0.99


@pytest.mark.parametrize("layers", [[], [0], [7], [5, 5], [2.5], [True], ["6"]])
def test_layer_numbers_outside_the_encoder_are_rejected(layers: list) -> None:
    with pytest.raises(ValueError, match="layers must be distinct whole numbers from 1 to 6"):
        load_encoder().encode(["hi"], layers=layers)


def test_the_featurizer_puts_the_chosen_layers_on_each_message() -> None:
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    config = {**SentenceEmbeddingFeaturizer.get_default_config(), "layers": [4, 5, 6]}
    featurizer = SentenceEmbeddingFeaturizer.create(config, None, None, context)  # type: ignore[arg-type]
    message = Message(data={TEXT: "Can I return these shoes?"})
    featurizer.process([message])
    assert message.features[0].features.shape == (1, 3 * DIMENSIONS)


def test_a_featurizer_with_layers_outside_the_encoder_is_not_built() -> None:
    context = ExecutionContext(GraphSchema({}), node_name="embeddings")
    config = {**SentenceEmbeddingFeaturizer.get_default_config(), "layers": [6, 9]}
    with pytest.raises(ValueError, match=r"from 1 to 6 .*got \[6, 9\]"):
        SentenceEmbeddingFeaturizer.create(config, None, None, context)  # type: ignore[arg-type]


def test_layers_that_are_not_a_list_are_rejected() -> None:
    config = {**SentenceEmbeddingFeaturizer.get_default_config(), "layers": 6}
    with pytest.raises(ValueError, match="layers must be a list"):
        SentenceEmbeddingFeaturizer.validate_config(config)
