"""The layer study builds the featurizer's vector from all layers and scores by its rule."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from assistant.embeddings import DIMENSIONS
from bench.layer_study import _floors, _layer_sets, auroc, best_recall, layer_features


def test_the_features_of_chosen_layers_are_the_featurizers_vector() -> None:
    rng = np.random.default_rng(0)
    blocks = [rng.normal(size=(2, DIMENSIONS)) for _ in range(6)]
    blocks = [b / np.linalg.norm(b, axis=1, keepdims=True) for b in blocks]
    # As the encoder gives all six layers: each unit block over sqrt(6).
    every_layer = np.concatenate(blocks, axis=1) / np.sqrt(6)
    x = layer_features(every_layer, [6, 3])
    np.testing.assert_allclose(x[:, :DIMENSIONS], blocks[5] / np.sqrt(2), atol=1e-6)
    np.testing.assert_allclose(x[:, DIMENSIONS:], blocks[2] / np.sqrt(2), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-6)


def test_recall_is_the_best_that_keeps_the_accuracy_floor() -> None:
    # Two right in-scope answers (one unsure), two out-of-scope messages (one unfamiliar).
    in_p = np.array([[0.9, 0.1], [0.5, 0.5]])
    out_p = np.array([[0.95, 0.05], [0.45, 0.55]])
    held = np.linspace(-1, 1, 201)
    args = (in_p, np.array([0.5, 0.5]), np.array([True, True]), out_p, np.array([-3.0, 0.5]), held)
    # Both in-scope answers must stay: only the unfamiliar one is caught, by the cutoff.
    assert best_recall(*args, floor=1.0) == 0.5
    # One may go: a threshold above 0.55 also holds back the unsure out-of-scope message.
    assert best_recall(*args, floor=0.5) == 1.0


def test_auroc_is_one_for_separated_scores_and_a_half_for_equal_ones() -> None:
    assert auroc(np.array([2.0, 3.0]), np.array([0.0, 1.0])) == 1.0
    assert auroc(np.array([1.0, 1.0]), np.array([1.0, 1.0])) == 0.5


def test_layer_sets_and_floors_parse_or_give_a_clear_error() -> None:
    assert _layer_sets("6;3,4,5,6") == [[6], [3, 4, 5, 6]]
    assert _floors("0.9,0.92") == [0.9, 0.92]
    for bad in ("6;7", "5,5", "x", ";"):
        with pytest.raises(argparse.ArgumentTypeError, match="layer"):
            _layer_sets(bad)
    with pytest.raises(argparse.ArgumentTypeError, match="accuracies"):
        _floors("high")
    with pytest.raises(argparse.ArgumentTypeError, match=r"in \(0, 1\]"):
        _floors("1.5")
