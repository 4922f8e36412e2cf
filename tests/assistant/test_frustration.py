"""Frustration signals: one row per case, and how they push VADER's score down."""

import pytest

from assistant.frustration import (
    caps_ratio,
    fired_signals,
    frustration,
    punctuation_run,
    repeated_contact,
    sarcasm,
    waiting_too_long,
)
from assistant.thresholds import Thresholds

T = Thresholds()


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("WHERE IS MY EXPRESS ORDER", 1.0),
        ("Where is my express order", 1 / 21),
        ("OK", None),  # too few letters to judge
        ("NW-12345 THANKS", None),  # the order id is not counted as letters
        ("my order NW-12345 is LATE", 4 / 13),
    ],
)
def test_the_caps_ratio_is_judged_over_letters_of_long_enough_messages(text, ratio):
    result = caps_ratio(text, T.frustration_caps_min_letters)
    assert result == (pytest.approx(ratio) if ratio is not None else None)


@pytest.mark.parametrize(
    ("text", "run"),
    [("why???", 3), ("where is it?!?!", 4), ("is it shipped?", 1), ("fine.", 0), ("!! ok ?", 2)],
)
def test_the_longest_run_of_exclamation_and_question_marks_is_measured(text, run):
    assert punctuation_run(text) == run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is the third time I'm asking", True),
        ("I have asked again and again", True),
        ("I already told you my order number", True),
        ("how many times do I have to say it", True),
        ("it is still broken", True),
        ("I'd like to track my order", False),
        ("can I change my address", False),
    ],
)
def test_repeated_contact_words_are_found(text, expected):
    assert repeated_contact(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my express order is a week late", True),
        ("still no package", True),
        ("I have been waiting for days", True),
        ("it never arrived", True),
        ("my parcel hasn't arrived", True),
        ("when will my order arrive", False),
        ("the delivery came today, thanks", False),
    ],
)
def test_waiting_too_long_phrases_are_found(text, expected):
    assert waiting_too_long(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("great, another week without my package", True),
        ("Thanks a lot, the box arrived broken", True),
        ("perfect, still no refund", True),
        ("great, thank you so much", False),
        ("the sofa is perfect", False),
    ],
)
def test_praise_over_a_complaint_reads_as_sarcasm(text, expected):
    assert sarcasm(text) is expected


def test_every_signal_that_fires_lowers_the_score_by_its_weight():
    text = "WHERE IS MY EXPRESS ORDER, IT IS A WEEK LATE!!!"
    result = frustration(text, 0.0, T)
    assert result.signals == ("caps", "punctuation", "waiting")
    expected = -(T.frustration_caps_weight + T.frustration_punctuation_weight)
    assert result.score == pytest.approx(max(-1.0, expected - T.frustration_waiting_weight))


def test_the_score_is_never_below_minus_one():
    result = frustration("GREAT, THIRD TIME, STILL NO PACKAGE!!!", -0.9, T)
    assert result.score == -1.0


@pytest.mark.parametrize("text", ["where is my order", "is the sofa still in stock?"])
def test_a_plain_message_is_not_pushed_past_the_sentiment_threshold(text):
    assert frustration(text, 0.0, T).score > T.sentiment_threshold


def test_a_signal_with_weight_zero_does_not_fire():
    off = Thresholds(frustration_waiting_weight=0.0)
    assert "waiting" not in fired_signals("still no package", off)
