"""Sentence features on messages become the matrices the intent classifier reads."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from assistant.features import dense_embeddings, feature_matrix


def message(dense: list[float] | None = None, sparse: list[float] | None = None) -> Message:
    msg = Message(data={TEXT: "x"})
    if dense is not None:
        msg.add_features(
            Features(np.array([dense], dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "emb")
        )
    if sparse is not None:
        msg.add_features(
            Features(scipy.sparse.coo_matrix([sparse]), FEATURE_TYPE_SENTENCE, TEXT, "cv")
        )
    return msg


def test_dense_embeddings_are_one_row_per_message() -> None:
    rows = dense_embeddings([message([1.0, 2.0]), message([3.0, 4.0])])
    assert rows is not None
    assert rows.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_messages_without_dense_features_have_no_embeddings() -> None:
    assert dense_embeddings([message(sparse=[1.0, 0.0])]) is None


def test_messages_with_and_without_dense_features_are_refused() -> None:
    with pytest.raises(ValueError, match="unequal dense features"):
        dense_embeddings([message([1.0]), message(sparse=[1.0])])


@pytest.mark.parametrize(
    ("sparse_weight", "expected"),
    [
        (0.0, [[1.0, 0.0]]),  # the sparse block is left out
        (1.0, [[1.0, 0.0, 0.6, 0.8]]),  # unit length, then weighed
        (0.5, [[1.0, 0.0, 0.3, 0.4]]),
    ],
)
def test_the_sparse_block_is_scaled_to_unit_length_and_weighed(
    sparse_weight: float, expected: list[list[float]]
) -> None:
    matrix = feature_matrix([message([1.0, 0.0], [3.0, 4.0])], sparse_weight)
    rows = matrix.toarray() if scipy.sparse.issparse(matrix) else matrix
    assert rows == pytest.approx(np.array(expected))


def test_dense_features_alone_stay_a_dense_array_and_with_counts_become_sparse() -> None:
    # The regression's solver is many times slower on dense numbers stored as sparse.
    alone = feature_matrix([message([1.0, 0.0], [3.0, 4.0])], 0.0)
    assert isinstance(alone, np.ndarray) and alone.dtype == np.float32
    both = feature_matrix([message([1.0, 0.0], [3.0, 4.0])], 1.0)
    assert scipy.sparse.issparse(both) and both.dtype == np.float32


def test_counts_alone_are_a_sparse_matrix() -> None:
    matrix = feature_matrix([message(sparse=[3.0, 4.0])], 1.0)
    assert scipy.sparse.issparse(matrix)
    assert matrix.toarray() == pytest.approx(np.array([[0.6, 0.8]]))


def test_a_message_without_sentence_features_is_refused() -> None:
    with pytest.raises(ValueError, match="needs sentence features"):
        feature_matrix([Message(data={TEXT: "x"})], 0.0)
