"""Score how unlike the training data a message is, from its embedding and the regression's logits.

A confident softmax does not mean the message resembles anything the assistant was trained on:
the regression extrapolates. Two signals that do see it are combined:

- the *energy* ``log sum exp(logits)`` (Liu et al. 2020): the softmax only compares the logits,
  while their overall size says how strongly the learned weights respond to the message at all;
- the *class similarity*: the mean cosine similarity of the message to the ``k`` most similar
  training examples of the intent it was given, so "close to some training example" has to
  mean close to examples of the intent that would answer it.

Each signal is standardised by its median and its spread (median minus 5th percentile) over
held-out training examples, and the two are added. The similarity may be standardised per
intent: some intents' examples are all alike and others vary, so one overall median calls a
message odd for one intent that is typical for another. Each intent's median and spread come
from the held-out examples given that intent, shrunk towards the overall ones (an intent with
``n`` of them gets ``n / (n + shrinkage)`` of its own), so an intent with few examples keeps
about the overall figures. ``Calibration`` holds those numbers and the
cutoff, the ``quantile`` of the held-out scores; below the cutoff the confidences are multiplied
by ``confidence_factor``. Every function here is pure numpy, so tables of cases test them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

# Query rows compared with all examples at once (memory: rows x examples floats).
CHUNK = 1024
# The spread of a signal is its median minus this quantile over the held-out examples.
SPREAD_QUANTILE = 0.05
# The factor falls by at most e to this power: low enough to reject anything, yet the
# confidences stay above zero, so the softmax can still be read back (confidence / factor).
MAX_FALL = 50.0


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """The rows scaled to length one (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def energy(logits: np.ndarray) -> np.ndarray:
    """``log sum exp`` of each row of logits, computed without overflow."""
    logits = np.asarray(logits, dtype=np.float64)
    top = logits.max(axis=1)
    return top + np.log(np.exp(logits - top[:, None]).sum(axis=1))


def class_similarity(
    queries: np.ndarray,
    predicted: np.ndarray,
    examples: np.ndarray,
    example_labels: np.ndarray,
    k: int,
) -> np.ndarray:
    """Mean cosine similarity of each (unit) query to its ``k`` most similar (unit) examples
    whose label is the query's predicted label; an intent with fewer examples uses them all."""
    if k < 1:
        raise ValueError("class_similarity: k must be at least 1.")
    result = np.empty(len(queries), dtype=np.float64)
    for start in range(0, len(queries), CHUNK):
        rows = slice(start, start + CHUNK)
        similarity = queries[rows] @ examples.T
        other = example_labels[None, :] != predicted[rows, None]
        similarity[other] = -np.inf
        count = np.minimum(k, (~other).sum(axis=1))
        width = min(k, similarity.shape[1])
        top = np.partition(similarity, similarity.shape[1] - width, axis=1)[:, -width:]
        # Intents with fewer than k examples: average only the ones there are.
        total = np.where(np.isfinite(top), top, 0.0).sum(axis=1)
        result[rows] = np.where(count > 0, total / np.maximum(count, 1), -1.0)
    return result


def signals(
    logits: np.ndarray,
    queries: np.ndarray,
    examples: np.ndarray,
    example_labels: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The two signals of each message: the energy of its logits, and the class similarity of
    its (unit) embedding to the ``k`` nearest (unit) training examples of its best intent. The
    one reading of both for calibrating, for the classifier and for the studies."""
    logits = np.asarray(logits)
    return energy(logits), class_similarity(
        queries, logits.argmax(axis=1), examples, example_labels, k
    )


def confidence_factor(score: np.ndarray, cutoff: float, width: float) -> np.ndarray:
    """1 at or above the cutoff; below it, falls by a factor e for every ``width`` of score
    (down to ``exp(-MAX_FALL)``)."""
    if width <= 0:
        raise ValueError("confidence_factor: width must be positive.")
    fall = np.clip(cutoff - np.asarray(score, dtype=np.float64), 0.0, None) / width
    return np.exp(-np.minimum(fall, MAX_FALL))


def _centre_and_spread(values: np.ndarray, fallback: float = 1.0) -> tuple[float, float]:
    """Median and spread; ``fallback`` is the spread when the values are all alike (tiny
    data), where any unit keeps the score finite."""
    centre = float(np.median(values))
    spread = centre - float(np.quantile(values, SPREAD_QUANTILE))
    return centre, spread if spread > 1e-9 else fallback


def _per_intent(
    similarities: np.ndarray, predicted: np.ndarray, intents: int, shrinkage: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Each intent's similarity centre and spread, shrunk towards the overall ones."""
    overall_centre, overall_spread = _centre_and_spread(similarities)
    centres, spreads = [], []
    for intent in range(intents):
        values = similarities[predicted == intent]
        n = len(values)
        if n == 0:
            centres.append(overall_centre)
            spreads.append(overall_spread)
            continue
        # One example, or all alike: its spread says nothing, the overall one stands in.
        centre, spread = _centre_and_spread(values, fallback=overall_spread)
        own = n / (n + shrinkage)
        centres.append(own * centre + (1 - own) * overall_centre)
        spreads.append(own * spread + (1 - own) * overall_spread)
    return tuple(centres), tuple(spreads)


@dataclass(frozen=True)
class Calibration:
    """How to standardise the two signals, and the cutoff on their sum. With per-intent
    figures (``similarity_centres``/``similarity_spreads``, one per intent index), the
    similarity is standardised by those of the message's predicted intent."""

    energy_centre: float
    energy_spread: float
    similarity_centre: float
    similarity_spread: float
    cutoff: float
    similarity_centres: tuple[float, ...] = ()
    similarity_spreads: tuple[float, ...] = ()

    @classmethod
    def from_held_out(
        cls,
        energies: np.ndarray,
        similarities: np.ndarray,
        quantile: float,
        predicted: np.ndarray | None = None,
        intents: int = 0,
        shrinkage: float | None = None,
    ) -> Calibration:
        """Standardised on held-out examples; ``quantile`` of them fall below the cutoff. With
        ``shrinkage`` (and each example's ``predicted`` intent index, of ``intents``), the
        similarity is standardised per intent."""
        if len(energies) == 0 or len(energies) != len(similarities):
            raise ValueError("Calibration needs one energy and one similarity per example.")
        if not 0.0 < quantile < 1.0:
            raise ValueError("Calibration: quantile must be in (0, 1).")
        energy_centre, energy_spread = _centre_and_spread(energies)
        similarity_centre, similarity_spread = _centre_and_spread(similarities)
        centres: tuple[float, ...] = ()
        spreads: tuple[float, ...] = ()
        if shrinkage is not None:
            if shrinkage < 0:
                raise ValueError("Calibration: shrinkage cannot be negative.")
            if predicted is None or len(predicted) != len(similarities) or intents < 1:
                raise ValueError("Calibration per intent needs each example's predicted intent.")
            predicted = np.asarray(predicted)
            if predicted.min() < 0 or predicted.max() >= intents:
                raise ValueError("Calibration: a predicted intent index is out of range.")
            centres, spreads = _per_intent(
                np.asarray(similarities, dtype=np.float64), predicted, intents, shrinkage
            )
        partial = cls(
            energy_centre,
            energy_spread,
            similarity_centre,
            similarity_spread,
            0.0,
            centres,
            spreads,
        )
        held_out = partial.score(energies, similarities, predicted)
        return dataclasses.replace(partial, cutoff=float(np.quantile(held_out, quantile)))

    @property
    def per_intent(self) -> bool:
        return bool(self.similarity_centres)

    def score(
        self, energies: np.ndarray, similarities: np.ndarray, predicted: np.ndarray | None = None
    ) -> np.ndarray:
        """The sum of the standardised signals: 0 is a typical in-scope message, lower is odder.
        A per-intent calibration needs each message's ``predicted`` intent index."""
        energy_part = (np.asarray(energies) - self.energy_centre) / self.energy_spread
        if not self.per_intent:
            return (
                energy_part
                + (np.asarray(similarities) - self.similarity_centre) / self.similarity_spread
            )
        if predicted is None:
            raise ValueError("Calibration.score: a per-intent calibration needs the intents.")
        rows = np.asarray(predicted)
        centres = np.asarray(self.similarity_centres)[rows]
        spreads = np.asarray(self.similarity_spreads)[rows]
        return energy_part + (np.asarray(similarities) - centres) / spreads

    def to_array(self) -> np.ndarray:
        """Five numbers, then each intent's similarity centre and then each one's spread."""
        head = [
            self.energy_centre,
            self.energy_spread,
            self.similarity_centre,
            self.similarity_spread,
            self.cutoff,
        ]
        return np.array(
            [*head, *self.similarity_centres, *self.similarity_spreads], dtype=np.float64
        )

    @classmethod
    def from_array(cls, values: np.ndarray) -> Calibration:
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1 or len(values) < 5 or len(values) % 2 == 0:
            raise ValueError(
                "Calibration.from_array: expected five numbers, then two for each intent."
            )
        intents = (len(values) - 5) // 2
        head = (float(v) for v in values[:5])
        centres = tuple(float(v) for v in values[5 : 5 + intents])
        spreads = tuple(float(v) for v in values[5 + intents :])
        return cls(*head, centres, spreads)


def holdout_split(labels: np.ndarray, share: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row indices to fit on and to hold out: ``share`` of each label's rows (rounded down) is
    held out, but every label keeps at least one row to fit on, so both parts know all labels."""
    if not 0.0 <= share < 1.0:
        raise ValueError("holdout_split: share must be in [0, 1).")
    rng = np.random.default_rng(seed)
    held: list[np.ndarray] = []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        held.append(rows[: min(int(share * len(rows)), len(rows) - 1)])
    held_out = np.sort(np.concatenate(held)) if held else np.array([], dtype=int)
    return np.setdiff1d(np.arange(len(labels)), held_out), held_out
