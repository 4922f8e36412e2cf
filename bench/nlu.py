"""Train the shipped NLU pipeline on one data set, test it on another, print the numbers.

    python -m bench.nlu --train TRAIN.yml --test TEST.yml [--baseline] [--plot out.png]

Test examples labelled ``out_of_scope`` count as correct when the product would fall back or
hand off; an in-scope message counts only when answered with the right intent. The last line
printed is one JSON object (fractions in [0, 1]); with ``--baseline`` stock Rasa's default
pipeline is trained and scored on the same data and put under ``"baseline"``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import data, metrics, pipeline

ROOT = Path(__file__).resolve().parent.parent
# Thresholds for the trade-off curve: 0.00, 0.01, ..., 1.00.
SWEEP = [round(i / 100, 2) for i in range(101)]
# --smoke: enough examples to run every step in a minute or two, too few to mean anything.
SMOKE_TRAIN_PER_INTENT, SMOKE_TEST_PER_INTENT, SMOKE_INTENTS = 6, 3, 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.nlu", description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, required=True, help="Rasa NLU YAML to train on")
    parser.add_argument("--test", type=Path, required=True, help="Rasa NLU YAML to test on")
    parser.add_argument(
        "--config",
        type=Path,
        default=ROOT / "config.yml",
        help="config whose pipeline is tested (default: the project's config.yml)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        help="override the handoff threshold read from config.yml's policies",
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also train and score stock Rasa 3.6's default pipeline",
    )
    parser.add_argument(
        "--baseline-epochs",
        type=int,
        help="train the baseline's DIET and selectors for this many epochs instead "
        "of Rasa's 100 (a quick check that it runs; then it is not stock Rasa)",
    )
    parser.add_argument(
        "--limit-per-intent", type=int, help="train on at most this many examples per intent"
    )
    parser.add_argument(
        "--test-limit-per-intent", type=int, help="test on at most this many examples per label"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"{SMOKE_INTENTS} intents, few examples: checks the harness runs",
    )
    parser.add_argument("--plot", type=Path, help="write the threshold trade-off plot here (PNG)")
    parser.add_argument("--sweep-json", type=Path, help="write the threshold sweep here (JSON)")
    parser.add_argument("--workdir", type=Path, help="keep configs and models here")
    parser.add_argument(
        "--val",
        type=Path,
        help="also score this split (the one the out-of-scope settings were tuned on)",
    )
    return parser.parse_args(argv)


def _select(args: argparse.Namespace) -> tuple:
    train = data.load_examples(args.train)
    test = data.load_examples(args.test)
    train_limit, test_limit = args.limit_per_intent, args.test_limit_per_intent
    if args.smoke:
        intents = sorted({e.intent for e in train})[:SMOKE_INTENTS]
        keep = set(intents) | {data.OUT_OF_SCOPE}
        train = [e for e in train if e.intent in keep]
        test = [e for e in test if e.intent in keep]
        train_limit = min(train_limit or SMOKE_TRAIN_PER_INTENT, SMOKE_TRAIN_PER_INTENT)
        test_limit = min(test_limit or SMOKE_TEST_PER_INTENT, SMOKE_TEST_PER_INTENT)
    return data.limit_per_intent(train, train_limit), data.limit_per_intent(test, test_limit)


RULE_KEYS = ("in_scope_accuracy", "oos_recall", "oos_precision", "in_scope_handoff_rate")


def rules_side_by_side(
    combined: Sequence[metrics.Prediction],
    softmax_only: Sequence[metrics.Prediction],
    threshold: float,
    ambiguity_threshold: float,
) -> dict[str, Any]:
    """The headline numbers of the shipped rule (softmax and out-of-scope score) and of the
    softmax confidence alone, at the same thresholds."""
    return {
        rule: {
            k: v
            for k, v in metrics.score(predictions, threshold, ambiguity_threshold).items()
            if k in RULE_KEYS
        }
        for rule, predictions in (("with_oos_score", combined), ("softmax_only", softmax_only))
    }


def run_one(
    under_test: pipeline.PipelineUnderTest,
    train_yaml: Path,
    test: list[data.Example],
    workdir: Path,
    n_train: int,
    val: list[data.Example] | None = None,
) -> dict[str, Any]:
    """Trains and scores one pipeline; returns its numbers and its threshold sweep."""
    print(
        f"[{under_test.name}] training ({under_test.source}) on {n_train} examples ...",
        file=sys.stderr,
        flush=True,
    )
    model, train_seconds, train_cpu_seconds = pipeline.train(under_test, train_yaml, workdir)
    started = time.perf_counter()
    predictions, fell_back, softmax_only = pipeline.predict(
        model, [e.text for e in test], [e.intent for e in test]
    )
    predict_seconds = time.perf_counter() - started
    labels = {e.intent for e in test}
    predictions = metrics.with_dataset_names(predictions, labels)
    softmax_only = metrics.with_dataset_names(softmax_only, labels)
    numbers: dict[str, Any] = metrics.score(
        predictions, under_test.threshold, under_test.ambiguity_threshold
    )
    numbers["rules_test"] = rules_side_by_side(
        predictions, softmax_only, under_test.threshold, under_test.ambiguity_threshold
    )
    if val:
        val_predictions, _, val_softmax_only = pipeline.predict(
            model, [e.text for e in val], [e.intent for e in val]
        )
        val_labels = {e.intent for e in val}
        val_predictions = metrics.with_dataset_names(val_predictions, val_labels)
        val_softmax_only = metrics.with_dataset_names(val_softmax_only, val_labels)
        numbers["rules_val"] = rules_side_by_side(
            val_predictions, val_softmax_only, under_test.threshold, under_test.ambiguity_threshold
        )
    # When the pipeline has a FallbackClassifier its own decisions must match the scoring
    # rule at its threshold; a mismatch means the numbers describe a different product.
    if any(c["name"] == pipeline.FALLBACK for c in under_test.pipeline):
        rule = [
            not metrics.answered(p, under_test.threshold, under_test.ambiguity_threshold)
            for p in predictions
        ]
        numbers["fallback_rule_mismatches"] = sum(
            a and not b for a, b in zip(fell_back, rule, strict=True)
        )
    numbers.update(
        threshold=under_test.threshold,
        ambiguity_threshold=under_test.ambiguity_threshold,
        train_seconds=round(train_seconds, 1),
        train_cpu_seconds=round(train_cpu_seconds, 1),
        predict_seconds=round(predict_seconds, 1),
        n_train=n_train,
        n_test=len(test),
        n_test_out_of_scope=sum(1 for e in test if e.intent == data.OUT_OF_SCOPE),
        pipeline=[c["name"] for c in under_test.pipeline],
    )
    sweep = metrics.sweep(predictions, SWEEP, under_test.ambiguity_threshold)
    return {"numbers": numbers, "sweep": sweep}


def _rounded(numbers: dict[str, Any]) -> dict[str, Any]:
    return {
        k: round(v, 4) if isinstance(v, float) else _rounded(v) if isinstance(v, dict) else v
        for k, v in numbers.items()
    }


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def print_rules(numbers: dict[str, Any]) -> None:
    """A table: the shipped rule beside the softmax alone, on the test (and tuning) split."""
    print(f"{'split / rule':<28}" + "".join(f"{k:>24}" for k in RULE_KEYS), flush=True)
    for split in ("rules_val", "rules_test"):
        for rule, values in (numbers.get(split) or {}).items():
            label = f"{split.removeprefix('rules_')} {rule}"
            print(
                f"{label:<28}" + "".join(f"{_percent(values[k]):>24}" for k in RULE_KEYS),
                flush=True,
            )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Custom components (assistant.*) and relative paths in config.yml resolve from the root.
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    train, test = _select(args)
    val = None
    if args.val:
        # The same intents and limit as the test split (with --smoke, a small slice too).
        labels = {e.intent for e in test}
        val = data.limit_per_intent(
            [e for e in data.load_examples(args.val) if e.intent in labels],
            SMOKE_TEST_PER_INTENT if args.smoke else args.test_limit_per_intent,
        )
    shipped = pipeline.shipped(args.config, ROOT / "config.yml", args.threshold)
    baseline = pipeline.stock()
    if args.baseline_epochs:
        baseline = pipeline.with_overrides(baseline, {"epochs": args.baseline_epochs})
    runs = [shipped] + ([baseline] if args.baseline else [])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-nlu-"))
    workdir.mkdir(parents=True, exist_ok=True)
    train_yaml = data.write_nlu_yaml(train, workdir / "train.yml")
    results = {
        u.name: run_one(u, train_yaml, test, workdir, len(train), val if u is shipped else None)
        for u in runs
    }
    for name, result in results.items():
        print(
            f"{name}: "
            + ", ".join(
                f"{k}={v}"
                for k, v in _rounded(result["numbers"]).items()
                if k != "pipeline" and not k.startswith("rules_")
            ),
            flush=True,
        )
    print_rules(results[shipped.name]["numbers"])
    if args.sweep_json:
        args.sweep_json.write_text(
            json.dumps(
                {
                    name: {"threshold": r["numbers"]["threshold"], "sweep": r["sweep"]}
                    for name, r in results.items()
                },
                indent=1,
            )
        )
    if args.plot:
        from bench import plot

        plot.tradeoff(
            {name: (r["sweep"], r["numbers"]["threshold"]) for name, r in results.items()},
            args.plot,
            title=f"{args.train.parent.name}: threshold sweep (n_test={len(test)})",
        )
    summary = _rounded(results[shipped.name]["numbers"])
    if args.baseline:
        summary["baseline"] = _rounded(results[baseline.name]["numbers"])
        summary["baseline"]["epochs"] = args.baseline_epochs or "stock"
    print(json.dumps(summary), flush=True)
    return summary


if __name__ == "__main__":
    main()
