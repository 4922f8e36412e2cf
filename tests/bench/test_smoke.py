"""The benchmarks run end to end on a few hundred examples and print their JSON summary.

They train the real shipped pipeline (config.yml) on a small slice of the public sets in
``../shared/data`` (beside the checkout, as in CI); the numbers mean nothing at this size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
NLU_KEYS = {
    "in_scope_accuracy",
    "oos_recall",
    "oos_precision",
    "in_scope_handoff_rate",
    "macro_f1",
    "threshold",
    "train_seconds",
    "n_train",
    "n_test",
}


def last_json_line(*args: str) -> dict:
    if not DATA.is_dir():
        pytest.fail(f"benchmark data not found at {DATA} (shared/ belongs beside the checkout)")
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def clinc_smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    plot = tmp_path_factory.mktemp("plot") / "clinc.png"
    summary = last_json_line(
        "bench.nlu",
        "--smoke",
        "--plot",
        str(plot),
        "--train",
        str(DATA / "clinc150" / "train_inscope.yml"),
        "--test",
        str(DATA / "clinc150" / "test.yml"),
        "--val",
        str(DATA / "clinc150" / "val.yml"),
    )
    return summary, plot


def test_the_nlu_benchmark_prints_every_headline_number_last(clinc_smoke: tuple) -> None:
    summary, _ = clinc_smoke
    assert summary.keys() >= NLU_KEYS
    for key in (
        "in_scope_accuracy",
        "oos_recall",
        "oos_precision",
        "in_scope_handoff_rate",
        "macro_f1",
        "threshold",
    ):
        assert 0.0 <= summary[key] <= 1.0, key
    assert summary["n_train"] > 0 and summary["n_test"] > 0 and summary["train_seconds"] > 0


def test_the_nlu_benchmark_scores_the_oos_score_beside_the_softmax_alone_on_val_and_test(
    clinc_smoke: tuple,
) -> None:
    summary, _ = clinc_smoke
    for split in ("rules_val", "rules_test"):
        assert summary[split].keys() == {"with_oos_score", "softmax_only"}, split
        for numbers in summary[split].values():
            assert 0.0 <= numbers["in_scope_accuracy"] <= 1.0
            assert 0.0 <= numbers["oos_recall"] <= 1.0
    # The score only lowers confidences, so it never answers an out-of-scope message more.
    test = summary["rules_test"]
    assert test["with_oos_score"]["oos_recall"] >= test["softmax_only"]["oos_recall"]


def test_the_scoring_rule_agrees_with_the_trained_fallback_classifier(clinc_smoke: tuple) -> None:
    summary, _ = clinc_smoke
    assert summary.get("fallback_rule_mismatches", 0) == 0


def test_the_nlu_benchmark_draws_its_trade_off_plot_as_png(clinc_smoke: tuple) -> None:
    _, plot = clinc_smoke
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_sentiment_benchmark_scores_negative_detection_and_false_handoffs() -> None:
    summary = last_json_line("bench.sentiment", "--smoke")
    assert summary["n"] > 0
    for key in (
        "negative_precision",
        "negative_recall",
        "negative_f1",
        "handoff_rate_neutral",
        "handoff_rate_positive",
    ):
        assert 0.0 <= summary[key] <= 1.0, key
