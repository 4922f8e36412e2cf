"""`python -m bench.oos_study`: how the fallback threshold and the out-of-scope cutoff combine.

    python -m bench.oos_study --train TRAIN.yml --val VAL.yml [--json out.json]

Replays the shipped intent classifier outside Rasa, on embeddings computed once and cached:
the logistic regression (``C``), the out-of-scope calibration on held-out training examples
(``oos_holdout``, ``oos_neighbours``) and the confidence factor (``oos_width``), exactly as
``assistant.intent_classifier`` trains them, so one fit serves every setting. Each of those
and ``--layers`` defaults to config.yml's. For each
cutoff quantile, fallback threshold and ambiguity threshold it scores VAL as ``bench.nlu``
does (Larson et al. 2019: an in-scope message is right only when answered with its intent; an
``out_of_scope`` one only when not answered) and prints one row per setting, then the setting
the rule picks: the largest OOS recall among those that keep in-scope accuracy at
``--min-accuracy`` or more, ties to the higher accuracy, then to the threshold nearest the
shipped one. Run it on a validation split only; the test split is for the one final check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from assistant.intent_classifier import _coefficients, _softmax
from assistant.out_of_scope import (
    Calibration,
    confidence_factor,
    holdout_split,
    signals,
    unit_rows,
)
from bench import data
from bench.pipeline import classifier_settings, featurizer_layers, product_threshold

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
QUANTILES = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(0, 13))
AMBIGUITIES = (0.0, 0.05, 0.1)
# The threshold config.yml ships, which ties between otherwise equal picks go towards.
SHIPPED_THRESHOLD = product_threshold(ROOT / "config.yml") or 0.0


def embed(texts: list[str], cache: Path, layers: list[int] | None = None) -> np.ndarray:
    """The encoder's vectors for ``texts`` (of ``layers``, as the featurizer's setting of that
    name), read from ``cache`` when they were computed before."""
    key = hashlib.sha256("\n".join([repr(layers), *texts]).encode()).hexdigest()[:16]
    path = cache / f"embeddings-{key}.npy"
    if path.exists():
        return np.load(path)
    from assistant.embeddings import load_encoder

    unique = sorted(set(texts))
    vectors = load_encoder().encode(unique, batch_size=64, layers=layers)
    row = {text: i for i, text in enumerate(unique)}
    result = vectors[[row[t] for t in texts]]
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, result)
    return result


def training_order(examples: list[data.Example], workdir: Path) -> list[data.Example]:
    """The examples in the order Rasa's training sees them (written, read back, deduplicated),
    so the held-out split, and with it the cutoff, is the one ``rasa train`` makes."""
    return data.load_examples(data.write_nlu_yaml(examples, workdir / "train.yml"))


@dataclass(frozen=True)
class Replay:
    """Everything a setting needs: the held-out scores and, for VAL, the softmax and score."""

    held_out_scores: np.ndarray
    probabilities: np.ndarray
    scores: np.ndarray
    predicted: np.ndarray
    truth: np.ndarray
    labels: list[str]


def held_out_calibration(
    logits: np.ndarray, held_out: tuple[np.ndarray, np.ndarray], shrinkage: float | None
) -> tuple[Calibration, np.ndarray]:
    """The classifier's calibration on held-out examples (their ``logits`` and signals) and
    their scores. The standardisation does not depend on the quantile, only the cutoff does,
    so the studies calibrate once and put each quantile's cutoff on the scores."""
    predicted = logits.argmax(axis=1)
    calibration = Calibration.from_held_out(
        *held_out, 0.5, predicted=predicted, intents=logits.shape[1], shrinkage=shrinkage
    )
    return calibration, calibration.score(*held_out, predicted)


def replay(train: list[data.Example], val: list[data.Example], args: argparse.Namespace) -> Replay:
    """Fits the classifier as ``EmbeddingIntentClassifier.train`` does and scores VAL."""
    from sklearn.linear_model import LogisticRegression

    x = embed([e.text for e in train], args.cache, args.layers)
    intents = np.array([e.intent for e in train])
    model = LogisticRegression(C=args.C, max_iter=300, solver="lbfgs", warm_start=True)
    fit, held = holdout_split(intents, args.holdout)
    model.fit(x[fit], intents[fit])
    coef, intercept = _coefficients(model)
    logits = x[held] @ coef.T + intercept
    labels = np.searchsorted(model.classes_, intents)
    units = unit_rows(x)
    held_out = signals(logits, units[held], units[fit], labels[fit], args.neighbours)
    base, held_out_scores = held_out_calibration(logits, held_out, args.shrinkage)
    model.fit(x, intents)
    coef, intercept = _coefficients(model)
    v = embed([e.text for e in val], args.cache, args.layers)
    val_logits = v @ coef.T + intercept
    predicted = val_logits.argmax(axis=1)
    val_signals = signals(val_logits, unit_rows(v), units, labels, args.neighbours)
    return Replay(
        held_out_scores=held_out_scores,
        probabilities=_softmax(val_logits),
        scores=base.score(*val_signals, predicted),
        predicted=predicted,
        truth=np.array([e.intent for e in val]),
        labels=[str(c) for c in model.classes_],
    )


def evaluate(r: Replay, quantile: float, threshold: float, ambiguity: float, width: float) -> dict:
    """VAL's numbers for one setting (fractions in [0, 1])."""
    factor = np.ones(len(r.scores))
    if quantile > 0:
        cutoff = float(np.quantile(r.held_out_scores, quantile))
        factor = confidence_factor(r.scores, cutoff, width)
    top2 = np.sort(r.probabilities, axis=1)[:, -2:] * factor[:, None]
    answered = (top2[:, 1] >= threshold) & (top2[:, 1] - top2[:, 0] >= ambiguity)
    in_scope = r.truth != data.OUT_OF_SCOPE
    right = np.array(r.labels)[r.predicted] == r.truth
    held_back = ~answered
    return {
        "quantile": quantile,
        "threshold": threshold,
        "ambiguity": ambiguity,
        "in_scope_accuracy": float((answered & right)[in_scope].mean()),
        "oos_recall": float(held_back[~in_scope].mean()),
        "oos_precision": float((~in_scope)[held_back].mean()) if held_back.any() else 0.0,
        "in_scope_handoff_rate": float(held_back[in_scope].mean()),
    }


def pick(rows: list[dict], min_accuracy: float) -> dict | None:
    """The rule stated before looking: largest OOS recall at ``min_accuracy`` or more; ties to
    the higher in-scope accuracy, then to the threshold nearest the shipped one."""
    eligible = [r for r in rows if r["in_scope_accuracy"] >= min_accuracy]
    if not eligible:
        return None
    return max(
        eligible,
        key=lambda r: (
            round(r["oos_recall"], 6),
            round(r["in_scope_accuracy"], 6),
            -abs(r["threshold"] - SHIPPED_THRESHOLD),
        ),
    )


def comma_separated(text: str, kind: Callable[[str], T], expected: str) -> list[T]:
    """The comma-separated values of a command-line option, or an error that says what was
    ``expected``."""
    try:
        return [kind(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None


def _numbers(text: str) -> tuple[float, ...]:
    values = tuple(comma_separated(text, float, "numbers separated by commas"))
    if any(not 0.0 <= v < 1.0 for v in values):
        raise argparse.ArgumentTypeError(f"every value must be in [0, 1), got {text!r}")
    return values


def parse_shrinkage(text: str) -> float | None:
    """The classifier's ``oos_shrinkage`` from the command line: a number of 0 or more, or
    "none" for the overall figures only."""
    if text.strip().lower() in ("none", "null"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'none', got {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"shrinkage must be 0 or more, got {text!r}")
    return value


def parse_layers(text: str) -> list[int]:
    """Layer numbers from the command line ("4,5,6"), checked as the featurizer checks them."""
    from assistant.embeddings import check_layers, default_model_dir, layer_count

    values = comma_separated(text, int, "layer numbers like 4,5,6")
    try:
        return list(check_layers(values, layer_count(default_model_dir())))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.oos_study", description=__doc__)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--val", type=Path, required=True)
    shipped = classifier_settings(ROOT / "config.yml")
    for flag, key, kind in (
        ("--C", "C", float),
        ("--holdout", "oos_holdout", float),
        ("--neighbours", "oos_neighbours", int),
        ("--width", "oos_width", float),
    ):
        parser.add_argument(
            flag, type=kind, default=kind(shipped[key]), help=f"default: config.yml's {key}"
        )
    parser.add_argument(
        "--shrinkage",
        type=parse_shrinkage,
        default=shipped.get("oos_shrinkage"),
        help="per-intent similarity shrinkage, or 'none' (default: config.yml's oos_shrinkage)",
    )
    parser.add_argument(
        "--layers",
        type=parse_layers,
        default=featurizer_layers(ROOT / "config.yml"),
        help="encoder layers, comma-separated, as the featurizer's layers setting "
        "(default: config.yml's)",
    )
    parser.add_argument("--min-accuracy", type=float, default=0.945)
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-cache")
    parser.add_argument("--json", type=Path, help="write every setting's numbers here")
    for name, default in (
        ("quantiles", QUANTILES),
        ("thresholds", THRESHOLDS),
        ("ambiguities", AMBIGUITIES),
    ):
        parser.add_argument(
            f"--{name}",
            type=_numbers,
            default=default,
            help=f"comma-separated values to try (default: {','.join(map(str, default))})",
        )
    return parser


def main(argv: list[str] | None = None) -> dict:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.C <= 0 or not 0 < args.holdout < 1 or args.neighbours < 1 or args.width <= 0:
        parser.error("C and width must be positive, holdout in (0, 1), neighbours at least 1.")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with tempfile.TemporaryDirectory(prefix="oos-study-") as workdir:
        train = training_order(data.load_examples(args.train), Path(workdir))
    val = data.load_examples(args.val)
    r = replay(train, val, args)
    rows = [
        evaluate(r, q, t, a, args.width)
        for q in args.quantiles
        for t in args.thresholds
        for a in args.ambiguities
    ]
    print(f"{'quantile':>9}{'threshold':>10}{'ambiguity':>10}{'in-scope':>10}{'OOS rec':>9}")
    for row in rows:
        print(
            f"{row['quantile']:>9}{row['threshold']:>10}{row['ambiguity']:>10}"
            f"{100 * row['in_scope_accuracy']:>9.1f}%{100 * row['oos_recall']:>8.1f}%"
        )
    chosen = pick(rows, args.min_accuracy)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "chosen": chosen}, indent=1))
    print(json.dumps({"min_accuracy": args.min_accuracy, "chosen": chosen}))
    return {"rows": rows, "chosen": chosen}


if __name__ == "__main__":
    main()
