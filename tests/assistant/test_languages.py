"""Language detection: other languages are found, English and short texts never misrouted."""

import pytest

from assistant.languages import foreign_language, observe, words
from assistant.thresholds import Thresholds

T = Thresholds()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("hola, dónde está mi pedido", "es"),
        ("我想退货", "zh"),
        ("返品したいです", "ja"),
        ("quiero hablar con una persona", "es"),
        ("Bonjour, où est ma commande ?", "fr"),
        ("Wo ist meine Bestellung?", "de"),
        ("dove è il mio ordine", "it"),
        ("Onde está o meu pedido?", "pt"),
    ],
)
def test_a_message_in_another_language_is_recognised(text, code):
    assert foreign_language(observe(text), T) == code


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "thanks!!",
        "NW-12345",
        "jane@example.com",
        "NW-12345 jane@example.com",
        "gracias",
        "where is my order",
        "WHERE IS MY EXPRESS ORDER IT IS A WEEK LATE",
        "are you a bot?",
        "do you offer express delivery",
        "order me a pizza",
        "/request_human",
        "",
    ],
)
def test_english_short_and_ambiguous_messages_are_never_another_language(text):
    assert foreign_language(observe(text), T) is None


def test_order_numbers_emails_and_digits_are_not_words():
    assert words("NW-12345 to jane@example.com at 10:30") == ["to", "at"]


@pytest.mark.parametrize(
    ("observation", "expected"),
    [
        ({"code": "es", "confidence": 0.95, "words": 4, "english_share": 0.0}, "es"),
        ({"code": "es", "confidence": 0.85, "words": 4, "english_share": 0.0}, None),
        ({"code": "es", "confidence": 0.95, "words": 1, "english_share": 0.0}, None),
        ({"code": "es", "confidence": 0.95, "words": 4, "english_share": 0.5}, None),
        ({"code": "en", "confidence": 1.0, "words": 4, "english_share": 0.0}, None),
        ({"code": "xx", "confidence": 1.0, "words": 4, "english_share": 0.0}, None),
        ({"code": "es"}, None),
        (None, None),
        ("es", None),
    ],
)
def test_the_thresholds_decide_whether_an_observation_counts(observation, expected):
    assert foreign_language(observation, T) == expected
