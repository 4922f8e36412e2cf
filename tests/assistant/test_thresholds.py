"""The thresholds loader reads the handoff policy's parameters from config.yml."""

from pathlib import Path

import pytest

from assistant.thresholds import Thresholds, ThresholdsError, load_thresholds

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """
policies:
  - name: RulePolicy
  - name: assistant.policy.HandoffPolicy
    priority: 6
    sentiment_threshold: -0.7
    max_turns_without_goal: 4
    refund_review_amount: 250
"""


def test_thresholds_come_from_the_handoff_policy_parameters(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text(CONFIG)
    thresholds = load_thresholds(path)
    assert thresholds.sentiment_threshold == -0.7
    assert thresholds.max_turns_without_goal == 4
    assert thresholds.refund_review_amount == 250.0


def test_a_threshold_left_out_keeps_its_documented_default(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text(CONFIG)
    assert load_thresholds(path).low_confidence_streak == Thresholds().low_confidence_streak


def test_the_project_config_loads_and_shares_the_fallback_threshold_with_the_pipeline():
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text())
    fallback = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    assert fallback["threshold"] == load_thresholds(ROOT / "config.yml").nlu_fallback_threshold


def test_a_config_without_the_handoff_policy_is_refused(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text("policies:\n  - name: RulePolicy\n")
    with pytest.raises(ThresholdsError, match="HandoffPolicy"):
        load_thresholds(path)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sentiment_threshold": "low"}, "must be a number"),
        ({"low_confidence_streak": 1.5}, "whole number"),
        ({"nlu_fallback_threshold": 1.4}, "between 0 and 1"),
        ({"nlu_handoff_confidence": 0.5, "nlu_fallback_threshold": 0.4}, "must not exceed"),
        ({"max_turns_without_goal": 0}, "at least 1"),
        ({"refund_review_amount": -1}, "must not be negative"),
        ({"frustration_caps_weight": 2.5}, "between 0 and 2"),
        ({"frustration_sarcasm_weight": -0.1}, "between 0 and 2"),
        ({"frustration_caps_ratio": 0}, "above 0 and at most 1"),
        ({"frustration_punctuation_run": 1}, "at least 2"),
        ({"frustration_caps_min_letters": 0}, "at least 1"),
        ({"loop_repeats": 1}, "at least 2"),
        ({"language_min_confidence": 0.3}, "between 0.5 and 1"),
        ({"language_min_words": 0}, "at least 1"),
    ],
)
def test_a_malformed_threshold_is_refused_naming_it(params, message):
    with pytest.raises(ThresholdsError, match=message):
        Thresholds.from_mapping(params)


def test_the_sentiment_component_gets_the_policys_frustration_parameters():
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text())
    component = next(
        c for c in config["pipeline"] if c["name"] == "assistant.sentiment.SentimentAnalyzer"
    )
    thresholds = load_thresholds(ROOT / "config.yml")
    frustration = {k: v for k, v in component.items() if k.startswith("frustration_")}
    assert frustration
    assert all(getattr(thresholds, name) == value for name, value in frustration.items())
