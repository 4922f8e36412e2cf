"""Benchmark scoring follows Larson et al.: handoffs are errors in scope and catches out of it."""

from __future__ import annotations

import pytest

from bench.data import OUT_OF_SCOPE, Example, limit_per_intent
from bench.metrics import Prediction, answered, macro_f1, score, sweep, with_dataset_names


def p(true: str, intent: str, confidence: float, second: float = 0.0) -> Prediction:
    return Prediction(
        true_intent=true, intent=intent, confidence=confidence, second_confidence=second
    )


def test_an_out_of_scope_message_below_the_threshold_counts_as_caught() -> None:
    numbers = score([p(OUT_OF_SCOPE, "greet", 0.3), p("greet", "greet", 0.9)], threshold=0.45)
    assert numbers["oos_recall"] == 1.0


def test_an_out_of_scope_message_answered_confidently_counts_as_missed() -> None:
    numbers = score([p(OUT_OF_SCOPE, "greet", 0.8), p("greet", "greet", 0.9)], threshold=0.45)
    assert numbers["oos_recall"] == 0.0


def test_an_in_scope_message_handed_off_is_an_error_even_with_the_right_intent() -> None:
    numbers = score([p("greet", "greet", 0.3), p("bye", "bye", 0.9)], threshold=0.45)
    assert numbers["in_scope_accuracy"] == 0.5
    assert numbers["in_scope_accuracy_without_threshold"] == 1.0
    assert numbers["in_scope_handoff_rate"] == 0.5


def test_oos_precision_is_the_share_of_held_back_messages_that_were_out_of_scope() -> None:
    numbers = score(
        [p(OUT_OF_SCOPE, "greet", 0.1), p("greet", "greet", 0.2), p("bye", "bye", 0.9)],
        threshold=0.45,
    )
    assert numbers["oos_precision"] == 0.5


def test_without_out_of_scope_test_messages_oos_numbers_are_absent() -> None:
    numbers = score([p("greet", "greet", 0.9)], threshold=0.45)
    assert numbers["oos_recall"] is None and numbers["oos_precision"] is None


def test_a_prediction_too_close_to_the_runner_up_is_not_answered() -> None:
    assert not answered(p("greet", "greet", 0.50, 0.47), threshold=0.45, ambiguity_threshold=0.05)
    assert answered(p("greet", "greet", 0.50, 0.40), threshold=0.45, ambiguity_threshold=0.05)


def test_macro_f1_counts_a_handoff_as_an_out_of_scope_prediction() -> None:
    numbers = score([p("greet", "greet", 0.9), p("bye", "bye", 0.1)], threshold=0.45)
    # greet: F1 1.0; bye: never predicted, F1 0.
    assert numbers["macro_f1"] == pytest.approx(0.5)


def test_macro_f1_is_one_for_perfect_predictions() -> None:
    assert macro_f1([("a", "a"), ("b", "b")], ["a", "b"]) == 1.0


def test_raising_the_threshold_never_lowers_the_handoff_rate() -> None:
    predictions = [p("a", "a", c / 10) for c in range(1, 10)] + [p(OUT_OF_SCOPE, "a", 0.35)]
    rates = [row["in_scope_handoff_rate"] for row in sweep(predictions, [0.0, 0.3, 0.6, 0.9])]
    assert rates == sorted(rates) and rates[0] == 0.0 and rates[-1] > 0.8


def test_limit_per_intent_keeps_at_most_the_limit_of_each_label_reproducibly() -> None:
    examples = [Example(f"a{i}", "a") for i in range(10)] + [Example("b0", "b")]
    first = limit_per_intent(examples, 3, seed=1)
    assert sorted(e.intent for e in first) == ["a", "a", "a", "b"]
    assert first == limit_per_intent(examples, 3, seed=1)


def test_bot_challenge_counts_as_are_you_a_bot_where_the_data_set_has_that_label() -> None:
    predictions = with_dataset_names(
        [p("are_you_a_bot", "bot_challenge", 1.0), p("greeting", "greeting", 0.9)],
        {"are_you_a_bot", "greeting"},
    )
    assert [x.intent for x in predictions] == ["are_you_a_bot", "greeting"]
    assert score(predictions, threshold=0.45)["in_scope_accuracy"] == 1.0


def test_bot_challenge_stays_wrong_where_the_data_set_has_no_such_label() -> None:
    predictions = with_dataset_names([p("getting_virtual_card", "bot_challenge", 1.0)], {"x"})
    assert predictions[0].intent == "bot_challenge"
    assert score(predictions, threshold=0.45)["in_scope_accuracy"] == 0.0


def test_only_bot_challenge_is_renamed() -> None:
    predictions = with_dataset_names([p("greeting", "greet", 0.9)], {"greeting", "are_you_a_bot"})
    assert predictions[0].intent == "greet"
