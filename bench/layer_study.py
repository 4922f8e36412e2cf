"""`python -m bench.layer_study`: which encoder layers make the best features, on training data.

    python -m bench.layer_study --train TRAIN.yml [--layer-sets "6;3,4,5,6"] [--folds 3]

Choosing the featurizer's ``layers`` on a validation split with 100 out-of-scope messages
cannot tell settings a few points apart. This study needs no out-of-scope data at all: in each
fold a share of the intents (``--held-intents``) is left out of training and their examples play
the out-of-scope messages, which gives thousands of them. The classifier is fitted as
``assistant.intent_classifier`` fits it (logistic regression, out-of-scope score calibrated on
held-out examples of the trained intents) on each set of layers, and for each it prints:
accuracy on held-out examples of the trained intents without a threshold, the AUROC of the
out-of-scope score (trained intents against left-out ones), and the largest recall of left-out
messages at which in-scope accuracy stays at each ``--floors`` value, over a grid of cutoff
quantiles and fallback thresholds. Intents from the same data are harder to tell from the
trained ones than real out-of-scope messages, so the recall is lower than on a real split: read
the differences between layer sets, not the level.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from assistant.embeddings import DIMENSIONS, default_model_dir, layer_count
from assistant.intent_classifier import _coefficients, _softmax
from assistant.out_of_scope import (
    confidence_factor,
    holdout_split,
    signals,
    unit_rows,
)
from bench import data
from bench.oos_study import (
    ROOT,
    comma_separated,
    embed,
    held_out_calibration,
    parse_layers,
    parse_shrinkage,
    training_order,
)
from bench.pipeline import classifier_settings

QUANTILES = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(13))
ENCODER_LAYERS = layer_count(default_model_dir())


def layer_features(all_layers: np.ndarray, layers: list[int]) -> np.ndarray:
    """The featurizer's vector for ``layers`` from the vectors of all layers side by side
    (each block there is a unit vector over sqrt(number of layers))."""
    blocks = [
        all_layers[:, (n - 1) * DIMENSIONS : n * DIMENSIONS] * np.sqrt(ENCODER_LAYERS)
        for n in layers
    ]
    return (np.concatenate(blocks, axis=1) / np.sqrt(len(layers))).astype(np.float32)


def best_recall(
    in_probabilities: np.ndarray,
    in_scores: np.ndarray,
    in_right: np.ndarray,
    out_probabilities: np.ndarray,
    out_scores: np.ndarray,
    held_out_scores: np.ndarray,
    floor: float,
    width: float = 0.05,
) -> float:
    """Largest share of out-of-scope messages held back while in-scope accuracy stays at
    ``floor`` or more, over the grid of cutoff quantiles and thresholds (0 when none keeps it)."""
    best = 0.0
    for quantile in QUANTILES:
        cutoff = float(np.quantile(held_out_scores, quantile))
        kept_in = in_probabilities.max(axis=1) * confidence_factor(in_scores, cutoff, width)
        kept_out = out_probabilities.max(axis=1) * confidence_factor(out_scores, cutoff, width)
        for threshold in THRESHOLDS:
            accuracy = float(((kept_in >= threshold) & in_right).mean())
            if accuracy >= floor:
                best = max(best, float((kept_out < threshold).mean()))
    return best


def auroc(positive: np.ndarray, negative: np.ndarray) -> float:
    """Probability that a random in-scope message scores above a random out-of-scope one."""
    from sklearn.metrics import roc_auc_score

    truth = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    return float(roc_auc_score(truth, np.concatenate([positive, negative])))


def one_fold(
    x: np.ndarray, intents: np.ndarray, left_out: set[str], args: argparse.Namespace, seed: int
) -> dict:
    """Fits on the intents not left out and scores their held-out examples and the left-out."""
    from sklearn.linear_model import LogisticRegression

    out_rows = np.flatnonzero(np.isin(intents, list(left_out)))
    in_rows = np.flatnonzero(~np.isin(intents, list(left_out)))
    fit_cal, evaluate = holdout_split(intents[in_rows], 0.2, seed=seed)
    fit_cal, evaluate = in_rows[fit_cal], in_rows[evaluate]
    fit, calibrate = holdout_split(intents[fit_cal], 0.25)
    fit, calibrate = fit_cal[fit], fit_cal[calibrate]
    model = LogisticRegression(C=args.C, max_iter=300, solver="lbfgs").fit(x[fit], intents[fit])
    coef, intercept = _coefficients(model)
    labels = np.searchsorted(model.classes_, intents[fit])
    units = unit_rows(x)

    def read(rows: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        logits = x[rows] @ coef.T + intercept
        return logits, signals(logits, units[rows], units[fit], labels, args.neighbours)

    held_logits, held_out = read(calibrate)
    calibration, held_out_scores = held_out_calibration(held_logits, held_out, args.shrinkage)
    in_logits, in_signals = read(evaluate)
    out_logits, out_signals = read(out_rows)
    in_scores = calibration.score(*in_signals, in_logits.argmax(axis=1))
    out_scores = calibration.score(*out_signals, out_logits.argmax(axis=1))
    right = model.classes_[in_logits.argmax(axis=1)] == intents[evaluate]
    result = {
        "accuracy": float(right.mean()),
        "auroc": auroc(in_scores, out_scores),
    }
    for floor in args.floors:
        result[f"recall_at_{floor}"] = best_recall(
            _softmax(in_logits),
            in_scores,
            right,
            _softmax(out_logits),
            out_scores,
            held_out_scores,
            floor,
        )
    return result


def _layer_sets(text: str) -> list[list[int]]:
    """Sets of layer numbers separated by ";" ("6;3,4,5,6"), each checked by ``parse_layers``."""
    sets = [parse_layers(part) for part in text.split(";") if part.strip()]
    if not sets:
        raise argparse.ArgumentTypeError(f"expected layer sets like '6;3,4,5,6', got {text!r}")
    return sets


def _floors(text: str) -> list[float]:
    values = comma_separated(text, float, "accuracies like 0.9,0.92")
    if any(not 0 < v <= 1 for v in values):
        raise argparse.ArgumentTypeError(f"every accuracy must be in (0, 1], got {text!r}")
    return values


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.layer_study", description=__doc__)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--layer-sets", type=_layer_sets, default=_layer_sets("6;4,5,6;3,4,5,6"))
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--held-intents", type=float, default=0.2)
    shipped = classifier_settings(ROOT / "config.yml")
    parser.add_argument(
        "--C", type=float, default=float(shipped["C"]), help="default: config.yml's C"
    )
    parser.add_argument(
        "--neighbours",
        type=int,
        default=int(shipped["oos_neighbours"]),
        help="default: config.yml's oos_neighbours",
    )
    parser.add_argument(
        "--shrinkage",
        type=parse_shrinkage,
        default=shipped.get("oos_shrinkage"),
        help="per-intent similarity shrinkage, or 'none' (default: config.yml's oos_shrinkage)",
    )
    parser.add_argument(
        "--floors",
        type=_floors,
        default=[0.9, 0.92],
        help="in-scope accuracies to keep, comma-separated (default: 0.9,0.92)",
    )
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-cache")
    parser.add_argument("--json", type=Path, help="write every fold's numbers here")
    return parser


def main(argv: list[str] | None = None) -> list[dict]:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.folds < 1 or not 0 < args.held_intents < 1 or args.C <= 0 or args.neighbours < 1:
        parser.error("folds and neighbours at least 1, C positive, held-intents in (0, 1).")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with tempfile.TemporaryDirectory(prefix="layer-study-") as workdir:
        train = training_order(data.load_examples(args.train), Path(workdir))
    intents = np.array([e.intent for e in train])
    every_layer = embed([e.text for e in train], args.cache, list(range(1, ENCODER_LAYERS + 1)))
    names = np.unique(intents)
    np.random.default_rng(7).shuffle(names)
    per_fold = max(1, int(args.held_intents * len(names)))
    results = []
    for layers in args.layer_sets:
        x = layer_features(every_layer, layers)
        folds = [
            one_fold(x, intents, set(names[k * per_fold : (k + 1) * per_fold]), args, seed=k + 1)
            for k in range(args.folds)
        ]
        mean = {key: float(np.mean([f[key] for f in folds])) for key in folds[0]}
        results.append({"layers": layers, "mean": mean, "folds": folds})
        print(
            f"layers {','.join(map(str, layers)):<12}"
            + "".join(f"  {key} {100 * value:.1f}" for key, value in mean.items()),
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(json.dumps([{"layers": r["layers"], **r["mean"]} for r in results]))
    return results


if __name__ == "__main__":
    main()
