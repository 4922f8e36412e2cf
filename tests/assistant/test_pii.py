"""The PII pipeline labels order ids and personal data, and redaction hides the latter."""

from __future__ import annotations

import pytest
import spacy

from assistant import pii
from assistant.pii import Redaction, build_nlp, luhn_valid, redact, redact_many, save_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def ents(nlp, text):
    return [(ent.text, ent.label_) for ent in nlp(text).ents]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Where is NW-10007?", [("NW-10007", "order_id")]),
        ("where is nw-10007", [("nw-10007", "order_id")]),
        ("order NW10007 please", [("NW10007", "order_id")]),
        ("order NW 10007 please", [("NW 10007", "order_id")]),
        ("(NW-10007)", [("NW-10007", "order_id")]),
        ("mail me at dana.w+shop@example.co.uk.", [("dana.w+shop@example.co.uk", "email")]),
        ("DANA@EXAMPLE.COM", [("DANA@EXAMPLE.COM", "email")]),
        ("call +1 (555) 123-4567", [("+1 (555) 123-4567", "phone")]),
        ("call +44 20 7946 0958 today", [("+44 20 7946 0958", "phone")]),
        ("call +4915112345678", [("+4915112345678", "phone")]),
        ("call 555-123-4567", [("555-123-4567", "phone")]),
        ("call 555.123.4567", [("555.123.4567", "phone")]),
        ("call (212) 555 0100", [("(212) 555 0100", "phone")]),
        ("call 1-800-555-0199", [("1-800-555-0199", "phone")]),
        ("call 5551234567", [("5551234567", "phone")]),
        ("card 4111 1111 1111 1111", [("4111 1111 1111 1111", "card_number")]),
        ("card 4111-1111-1111-1111", [("4111-1111-1111-1111", "card_number")]),
        ("card 4111111111111111", [("4111111111111111", "card_number")]),
        ("amex 378282246310005", [("378282246310005", "card_number")]),
        ("order NW-10007 to a@b.co", [("NW-10007", "order_id"), ("a@b.co", "email")]),
    ],
)
def test_pipeline_labels_each_supported_format(nlp, text, expected):
    """Every documented format is labelled with its lowercase entity name."""
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112",  # Luhn-invalid
        "card 4111111111111112",  # Luhn-invalid, no separators
        "code 411111111111",  # 12 digits: too short for a card, no phone shape
        "ANW-10007",  # order id glued to a word
        "order#NW-10007",
        "NW-100071",  # six digits
        "NW-1007",  # four digits
        "delivered on 2026-11-23",
        "delivered on 11/23/2026",
        "delivered on 23.11.2026",
        "total 1234.56 dollars",
        "call 0551234567",  # area codes never start with 0
        "dana at example dot com",
        "version 1.2.3",
    ],
)
def test_near_misses_are_not_entities(nlp, text):
    """Luhn-invalid numbers, ids inside words and date-shaped numbers are left alone."""
    assert ents(nlp, text) == []


@pytest.mark.parametrize(
    "digits, valid",
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("79927398713", True),
        ("12a4", False),
        ("", False),
    ],
)
def test_luhn_check_matches_known_values(digits, valid):
    """The Luhn checksum accepts real test card numbers and rejects altered ones."""
    assert luhn_valid(digits) is valid


def test_redact_replaces_personal_data_but_keeps_order_ids(nlp):
    """Emails, phones and cards become placeholders; order ids stay for the agent."""
    text, found = redact("NW-10007: mail a@b.co, call 555-123-4567, card 4111 1111 1111 1111", nlp)
    assert text == "NW-10007: mail [EMAIL_1], call [PHONE_1], card [CARD_NUMBER_1]"
    assert [(r.placeholder, r.kind, r.value) for r in found] == [
        ("[EMAIL_1]", "email", "a@b.co"),
        ("[PHONE_1]", "phone", "555-123-4567"),
        ("[CARD_NUMBER_1]", "card_number", "4111 1111 1111 1111"),
    ]


def test_redaction_offsets_point_at_the_original_value(nlp):
    """Each Redaction's start and end slice its value out of the original text."""
    original = "write to Dana@Example.com or dana@example.com"
    _, found = redact(original, nlp)
    assert [original[r.start : r.end] for r in found] == [r.value for r in found]


def test_the_same_value_gets_the_same_placeholder(nlp):
    """A repeated email (any case) or phone (any spacing) reuses its placeholder."""
    text, _ = redact("Dana@Example.com, dana@example.com, b@c.io, 555-123-4567 / 555.123.4567", nlp)
    assert text == "[EMAIL_1], [EMAIL_1], [EMAIL_2], [PHONE_1] / [PHONE_1]"


def test_redact_many_numbers_consistently_across_texts(nlp):
    """A transcript shares one numbering, and each Redaction names its text."""
    texts, found = redact_many(["I am a@b.co", "no, c@d.io", "a@b.co again"], nlp)
    assert texts == ["I am [EMAIL_1]", "no, [EMAIL_2]", "[EMAIL_1] again"]
    assert [(r.placeholder, r.index) for r in found] == [
        ("[EMAIL_1]", 0),
        ("[EMAIL_2]", 1),
        ("[EMAIL_1]", 2),
    ]


def test_redact_without_personal_data_returns_text_unchanged(nlp):
    """Text with nothing personal comes back as it was, with no redactions."""
    assert redact("where is NW-10007?", nlp) == ("where is NW-10007?", [])


def test_redact_rejects_non_text(nlp):
    """Passing something other than a string is a clear TypeError."""
    with pytest.raises(TypeError, match="str"):
        redact(None, nlp)  # type: ignore[arg-type]


def test_redaction_is_immutable():
    """Redactions are frozen so a transcript's originals cannot be altered by accident."""
    item = Redaction("[EMAIL_1]", "email", "a@b.co", 0, 6)
    with pytest.raises(AttributeError):
        item.value = "x"  # type: ignore[misc]


def test_default_pipeline_is_built_lazily_and_cached():
    """redact() without a pipeline builds one on first use and reuses it."""
    pii.default_nlp.cache_clear()
    redact("a@b.co")
    assert pii.default_nlp.cache_info().currsize == 1
    assert pii.default_nlp() is pii.default_nlp()


def test_saved_pipeline_loads_with_spacy_and_tags_the_same(tmp_path, nlp):
    """spacy.load on the saved directory gives the same entities as the built pipeline."""
    target = save_pipeline(tmp_path / "northwind_en")
    loaded = spacy.load(target)
    text = "nw-10007, a@b.co, +44 20 7946 0958, 4111-1111-1111-1111, 4111 1111 1111 1112"
    assert ents(loaded, text) == ents(nlp, text)
    assert loaded.pipe_names == ["entity_ruler", "northwind_numbers"]


def test_cli_build_writes_a_loadable_pipeline(tmp_path, capsys):
    """`python -m assistant.pii build DIR` writes the pipeline and says where."""
    assert pii.main(["build", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "config.cfg").exists()
    assert "wrote spaCy pipeline" in capsys.readouterr().out


def test_cli_without_arguments_prints_usage(capsys):
    """The CLI explains its usage instead of failing obscurely."""
    assert pii.main([]) == 2
    assert "usage" in capsys.readouterr().err
