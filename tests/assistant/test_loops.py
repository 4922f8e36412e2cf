"""Going in circles: how many times in a row the newest text repeats."""

import pytest

from assistant.loops import repeat_streak, same


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("where is my order??", "Where is my order", True),
        ("where is my order", "where is my orde", True),
        ("where is my order", "where is my refund", False),
        ("", "", False),
    ],
)
def test_texts_are_the_same_when_equal_or_nearly_equal_after_normalising(first, second, expected):
    assert same(first, second) is expected


@pytest.mark.parametrize(
    ("texts", "min_words", "streak"),
    [
        ([], 1, 0),
        (["a b c"], 1, 1),
        (["I can only help with orders."] * 3, 1, 3),
        (["other", "I can only help with orders.", "I can only help with orders."], 1, 2),
        (["same answer", "different", "same answer"], 1, 1),
        (["yes", "yes", "yes"], 3, 0),
        (["where is my order", "where is my order!", "WHERE IS MY ORDER"], 3, 3),
    ],
)
def test_the_streak_counts_repeats_of_the_newest_text(texts, min_words, streak):
    assert repeat_streak(texts, min_words) == streak


def test_answers_of_different_lengths_or_letters_are_told_apart_without_the_full_matching(
    monkeypatch,
):
    def full_matching(self):
        raise AssertionError("ratio() was computed")

    monkeypatch.setattr("assistant.loops.SequenceMatcher.ratio", full_matching)
    assert same("Our opening hours are 9 to 5.", "We ship to the UK and the EU in 3 days.") is False
    assert same("where is my order now", "xxxxx yy zz wwwww qqq") is False
