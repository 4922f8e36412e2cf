"""The out-of-scope score's pieces: energy, class similarity, calibration and held-out split."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.out_of_scope import (
    Calibration,
    class_similarity,
    confidence_factor,
    energy,
    holdout_split,
    signals,
    unit_rows,
)


@pytest.mark.parametrize(
    ("score", "cutoff", "width", "factor"),
    [
        (0.9, 0.5, 0.05, 1.0),  # above the cutoff: the softmax is left alone
        (0.5, 0.5, 0.05, 1.0),  # at the cutoff
        (0.45, 0.5, 0.05, np.exp(-1.0)),  # one width below: a factor e lower
        (0.4, 0.5, 0.05, np.exp(-2.0)),
        (0.4, 0.5, 0.1, np.exp(-1.0)),  # a wider ramp falls more slowly
        (-1.0, 0.5, 0.05, np.exp(-30.0)),  # far below: next to nothing
        (-100.0, 0.5, 0.05, np.exp(-50.0)),  # however far: never zero
    ],
)
def test_the_confidence_factor_falls_below_the_cutoff_by_e_per_width(
    score: float, cutoff: float, width: float, factor: float
) -> None:
    assert confidence_factor(np.array([score]), cutoff, width)[0] == pytest.approx(factor)


def test_a_width_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="width must be positive"):
        confidence_factor(np.array([0.1]), 0.5, 0.0)


@pytest.mark.parametrize(
    ("logits", "expected"),
    [
        ([0.0, 0.0], np.log(2.0)),
        ([1000.0, 1000.0], 1000.0 + np.log(2.0)),  # no overflow
        ([5.0, -50.0], 5.0),  # the largest logit dominates
        ([-3.0], -3.0),
    ],
)
def test_the_energy_is_the_log_of_the_summed_exponentials(
    logits: list[float], expected: float
) -> None:
    assert energy(np.array([logits]))[0] == pytest.approx(expected)


EXAMPLES = unit_rows(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-1.0, 0.0]]))
LABELS = np.array([0, 0, 1, 1])


@pytest.mark.parametrize(
    ("query", "predicted", "k", "expected"),
    [
        ([1.0, 0.0], 0, 1, 1.0),  # the same as an example of its intent
        ([1.0, 0.0], 0, 2, (1.0 + 0.8) / 2),  # mean over the intent's two nearest
        ([1.0, 0.0], 1, 1, 0.0),  # only the predicted intent's examples count
        ([1.0, 0.0], 1, 5, (0.0 - 1.0) / 2),  # fewer than k examples: all of them
        ([2.0, 0.0], 0, 1, 1.0),  # length does not matter, only the direction
        ([1.0, 0.0], 2, 1, -1.0),  # an intent without examples: the lowest similarity
    ],
)
def test_the_class_similarity_is_the_mean_cosine_to_the_predicted_intents_nearest_examples(
    query: list[float], predicted: int, k: int, expected: float
) -> None:
    similarity = class_similarity(
        unit_rows(np.array([query])), np.array([predicted]), EXAMPLES, LABELS, k
    )
    assert similarity[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("logits", "query", "similarity"),
    [
        ([[3.0, 0.0, 0.0]], [1.0, 0.0], 1.0),  # read against intent 0, its best logit
        ([[0.0, 3.0, 0.0]], [1.0, 0.0], 0.0),  # the same message given intent 1
    ],
)
def test_the_signals_are_the_energy_and_the_similarity_to_the_best_intents_examples(
    logits: list[list[float]], query: list[float], similarity: float
) -> None:
    energies, similarities = signals(
        np.array(logits), unit_rows(np.array([query])), EXAMPLES, LABELS, 1
    )
    assert energies == pytest.approx(energy(np.array(logits)))
    assert similarities[0] == pytest.approx(similarity)


def test_a_class_similarity_over_no_neighbours_is_refused() -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        class_similarity(EXAMPLES, LABELS, EXAMPLES, LABELS, 0)


@pytest.mark.parametrize(
    ("labels", "share", "held_per_label"),
    [
        (["a"] * 10 + ["b"] * 5, 0.2, {"a": 2, "b": 1}),
        (["a"] * 10 + ["b"] * 4, 0.2, {"a": 2, "b": 0}),  # rounded down
        (["a"] * 3 + ["b"], 0.9, {"a": 2, "b": 0}),  # every label keeps one to fit on
        (["a"] * 10, 0.0, {"a": 0}),
    ],
)
def test_the_holdout_takes_a_share_of_each_label_and_leaves_one_to_fit_on(
    labels: list[str], share: float, held_per_label: dict[str, int]
) -> None:
    array = np.array(labels)
    fit, held = holdout_split(array, share)
    assert sorted(np.concatenate([fit, held])) == list(range(len(labels)))
    for label, count in held_per_label.items():
        assert int(np.sum(array[held] == label)) == count
        assert np.sum(array[fit] == label) >= 1


def test_the_holdout_is_the_same_for_the_same_seed() -> None:
    labels = np.array(["a"] * 20 + ["b"] * 20)
    assert np.array_equal(holdout_split(labels, 0.3)[1], holdout_split(labels, 0.3)[1])


def test_a_holdout_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="share must be in"):
        holdout_split(np.array(["a", "b"]), 1.0)


def test_the_calibration_puts_its_quantile_of_the_held_out_scores_below_the_cutoff() -> None:
    rng = np.random.default_rng(0)
    energies, similarities = rng.normal(10, 2, 1000), rng.normal(0.8, 0.1, 1000)
    calibration = Calibration.from_held_out(energies, similarities, 0.05)
    below = calibration.score(energies, similarities) < calibration.cutoff
    assert np.mean(below) == pytest.approx(0.05, abs=0.002)
    # The median message scores about 0: each signal is centred on its median.
    assert calibration.score(np.median(energies), np.median(similarities)) == pytest.approx(0.0)


def test_a_lower_energy_or_similarity_gives_a_lower_score() -> None:
    calibration = Calibration(10.0, 2.0, 0.8, 0.1, -3.0)
    scores = calibration.score(np.array([10.0, 8.0, 10.0]), np.array([0.8, 0.8, 0.7]))
    assert scores == pytest.approx([0.0, -1.0, -1.0])


def test_a_calibration_survives_the_round_trip_through_an_array() -> None:
    calibration = Calibration(10.0, 2.0, 0.8, 0.1, -3.0)
    assert Calibration.from_array(calibration.to_array()) == calibration


@pytest.mark.parametrize(
    ("energies", "similarities", "quantile", "error"),
    [
        ([], [], 0.1, "one energy and one similarity"),
        ([1.0, 2.0], [0.5], 0.1, "one energy and one similarity"),
        ([1.0], [0.5], 0.0, r"quantile must be in \(0, 1\)"),
        ([1.0], [0.5], 1.0, r"quantile must be in \(0, 1\)"),
    ],
)
def test_a_calibration_from_bad_input_is_refused(
    energies: list[float], similarities: list[float], quantile: float, error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        Calibration.from_held_out(np.array(energies), np.array(similarities), quantile)


def test_a_stored_calibration_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="five numbers"):
        Calibration.from_array(np.zeros(4))


def test_a_stored_per_intent_calibration_has_two_numbers_for_each_intent() -> None:
    with pytest.raises(ValueError, match="then two for each intent"):
        Calibration.from_array(np.zeros(6))


def alike_and_varied(n: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Held-out examples of two intents: intent 0's are all alike (similarity about 0.9),
    intent 1's vary (about 0.6); the energy is the same for all."""
    rng = np.random.default_rng(1)
    similarities = np.concatenate([rng.normal(0.9, 0.01, n), rng.normal(0.6, 0.1, n)])
    return np.full(2 * n, 5.0), similarities, np.repeat([0, 1], n)


def test_per_intent_a_message_is_odd_for_an_intent_whose_examples_are_all_alike() -> None:
    energies, similarities, predicted = alike_and_varied()
    overall = Calibration.from_held_out(energies, similarities, 0.05)
    per_intent = Calibration.from_held_out(
        energies, similarities, 0.05, predicted=predicted, intents=2, shrinkage=0.0
    )
    # Similarity 0.8: under every example of intent 0, typical of intent 1.
    message = (np.array([5.0, 5.0]), np.array([0.8, 0.8]), np.array([0, 1]))
    overall_scores = overall.score(*message[:2])
    assert overall_scores[0] == overall_scores[1]
    scores = per_intent.score(*message)
    assert scores[0] < per_intent.cutoff < scores[1]
    # The cutoff still puts its quantile of the held-out examples below it.
    below = per_intent.score(energies, similarities, predicted) < per_intent.cutoff
    assert np.mean(below) == pytest.approx(0.05, abs=0.003)


@pytest.mark.parametrize(
    ("shrinkage", "own"),
    [(0.0, 1.0), (4.0, 0.5), (12.0, 0.25), (1e9, 0.0)],
)
def test_each_intent_gets_n_over_n_plus_shrinkage_of_its_own_figures(
    shrinkage: float, own: float
) -> None:
    # Intent 0 has four held-out examples, intent 1 the other 36; intent 2 has none.
    similarities = np.concatenate([np.full(4, 0.9), np.linspace(0.2, 0.8, 36)])
    predicted = np.repeat([0, 1], [4, 36])
    calibration = Calibration.from_held_out(
        np.ones(40), similarities, 0.1, predicted=predicted, intents=3, shrinkage=shrinkage
    )
    overall = calibration.similarity_centre
    assert calibration.similarity_centres[0] == pytest.approx(own * 0.9 + (1 - own) * overall)
    # All alike: intent 0's own spread says nothing, so the overall one stands in.
    assert calibration.similarity_spreads[0] == pytest.approx(calibration.similarity_spread)
    # An intent no held-out example was given keeps the overall figures.
    assert calibration.similarity_centres[2] == overall
    assert calibration.similarity_spreads[2] == calibration.similarity_spread


def test_a_per_intent_calibration_survives_the_round_trip_and_needs_the_intents() -> None:
    energies, similarities, predicted = alike_and_varied(20)
    calibration = Calibration.from_held_out(
        energies, similarities, 0.05, predicted=predicted, intents=2, shrinkage=20.0
    )
    assert calibration.per_intent
    assert Calibration.from_array(calibration.to_array()) == calibration
    assert len(calibration.to_array()) == 5 + 2 * 2
    with pytest.raises(ValueError, match="needs the intents"):
        calibration.score(energies, similarities)


@pytest.mark.parametrize(
    ("predicted", "intents", "shrinkage", "error"),
    [
        (np.array([0, 1]), 2, -1.0, "shrinkage cannot be negative"),
        (None, 2, 5.0, "needs each example's predicted intent"),
        (np.array([0]), 2, 5.0, "needs each example's predicted intent"),
        (np.array([0, 1]), 0, 5.0, "needs each example's predicted intent"),
        (np.array([0, 2]), 2, 5.0, "out of range"),
    ],
)
def test_a_per_intent_calibration_from_bad_input_is_refused(
    predicted: np.ndarray | None, intents: int, shrinkage: float, error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        Calibration.from_held_out(
            np.ones(2), np.array([0.5, 0.6]), 0.5, predicted, intents, shrinkage
        )
