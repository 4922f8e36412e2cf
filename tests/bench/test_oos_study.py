"""The out-of-scope study scores a setting as the product acts and picks by its stated rule."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from bench import layer_study, oos_study
from bench.data import OUT_OF_SCOPE
from bench.oos_study import ROOT, Replay, evaluate, parse_layers, parse_shrinkage, pick
from bench.pipeline import classifier_settings, featurizer_layers


def replay() -> Replay:
    # Three messages: a sure, familiar, right answer; a right answer the softmax is unsure of;
    # an out-of-scope message the softmax is sure of but the score finds unfamiliar.
    return Replay(
        held_out_scores=np.linspace(-1.0, 1.0, 101),
        probabilities=np.array([[0.9, 0.1], [0.3, 0.7], [0.95, 0.05]]),
        scores=np.array([0.5, 0.2, -3.0]),
        predicted=np.array([0, 1, 0]),
        truth=np.array(["greet", "bye", OUT_OF_SCOPE]),
        labels=["greet", "bye"],
    )


def test_without_the_score_a_sure_out_of_scope_message_is_answered() -> None:
    numbers = evaluate(replay(), quantile=0.0, threshold=0.45, ambiguity=0.0, width=0.05)
    assert numbers["oos_recall"] == 0.0
    assert numbers["in_scope_accuracy"] == 1.0


def test_the_cutoff_holds_back_an_unfamiliar_message_however_sure_the_softmax() -> None:
    numbers = evaluate(replay(), quantile=0.1, threshold=0.45, ambiguity=0.0, width=0.05)
    assert numbers["oos_recall"] == 1.0
    assert numbers["oos_precision"] == 1.0


def test_the_threshold_holds_back_an_unsure_right_answer() -> None:
    numbers = evaluate(replay(), quantile=0.1, threshold=0.75, ambiguity=0.0, width=0.05)
    assert numbers["in_scope_accuracy"] == 0.5
    assert numbers["in_scope_handoff_rate"] == 0.5


def test_the_ambiguity_gap_holds_back_two_close_intents() -> None:
    numbers = evaluate(replay(), quantile=0.1, threshold=0.0, ambiguity=0.5, width=0.05)
    assert numbers["in_scope_accuracy"] == 0.5


def row(threshold: float, accuracy: float, recall: float) -> dict:
    return {"threshold": threshold, "in_scope_accuracy": accuracy, "oos_recall": recall}


def test_the_rule_takes_the_largest_recall_that_keeps_the_accuracy() -> None:
    rows = [row(0.45, 0.95, 0.80), row(0.3, 0.946, 0.88), row(0.2, 0.94, 0.95)]
    assert pick(rows, 0.945) == rows[1]


def test_equal_recall_goes_to_higher_accuracy_then_to_the_threshold_nearest_the_shipped() -> None:
    rows = [row(0.2, 0.95, 0.9), row(0.4, 0.95, 0.9), row(0.3, 0.96, 0.9)]
    assert pick(rows, 0.945) == rows[2]
    assert pick(rows[:2], 0.945) == rows[1]


def test_no_setting_keeps_the_accuracy_so_none_is_picked() -> None:
    assert pick([row(0.45, 0.93, 0.9)], 0.945) is None


def test_the_study_reads_the_featurizer_layers_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n"
        "  - name: WhitespaceTokenizer\n"
        "  - name: assistant.embeddings.SentenceEmbeddingFeaturizer\n"
        "    layers: [3, 4, 5, 6]\n"
    )
    assert featurizer_layers(config) == [3, 4, 5, 6]
    config.write_text("pipeline:\n  - name: assistant.embeddings.SentenceEmbeddingFeaturizer\n")
    assert featurizer_layers(config) is None
    config.write_text("policies: []\n")
    assert featurizer_layers(config) is None


def test_the_shipped_config_and_the_study_default_agree() -> None:
    shipped = featurizer_layers(ROOT / "config.yml")
    assert shipped is None or all(1 <= n <= 6 for n in shipped)


def test_layers_on_the_command_line_are_numbers_or_a_clear_error() -> None:
    assert parse_layers("4,5,6") == [4, 5, 6]
    with pytest.raises(argparse.ArgumentTypeError, match="layer numbers like 4,5,6"):
        parse_layers("four")
    with pytest.raises(argparse.ArgumentTypeError, match="from 1 to 6"):
        parse_layers("0,6")


def test_the_studies_default_to_the_shipped_classifier_settings(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n"
        "  - name: assistant.intent_classifier.EmbeddingIntentClassifier\n"
        "    C: 100\n"
        "    oos_neighbours: 5\n"
    )
    settings = classifier_settings(config)
    assert (settings["C"], settings["oos_neighbours"]) == (100, 5)
    assert settings["oos_holdout"] == 0.2  # the classifier's own default
    config.write_text("pipeline: []\n")
    assert classifier_settings(config)["C"] == 30.0
    shipped = classifier_settings(ROOT / "config.yml")
    args = oos_study.build_parser().parse_args(["--train", "t.yml", "--val", "v.yml"])
    assert (args.C, args.neighbours, args.holdout, args.width) == (
        float(shipped["C"]),
        int(shipped["oos_neighbours"]),
        float(shipped["oos_holdout"]),
        float(shipped["oos_width"]),
    )
    assert args.shrinkage == shipped.get("oos_shrinkage")
    args = layer_study.build_parser().parse_args(["--train", "t.yml"])
    assert (args.C, args.neighbours) == (float(shipped["C"]), int(shipped["oos_neighbours"]))
    assert args.shrinkage == shipped.get("oos_shrinkage")


def test_shrinkage_on_the_command_line_is_a_number_none_or_a_clear_error() -> None:
    assert parse_shrinkage("20") == 20.0
    assert parse_shrinkage("0") == 0.0
    assert parse_shrinkage("none") is None
    with pytest.raises(argparse.ArgumentTypeError, match="expected a number or 'none'"):
        parse_shrinkage("twenty")
    with pytest.raises(argparse.ArgumentTypeError, match="shrinkage must be 0 or more"):
        parse_shrinkage("-1")
