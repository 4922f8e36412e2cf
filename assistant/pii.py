"""Find personal data and order ids in customer text, and redact the personal data.

One spaCy pipeline does the finding, so the assistant (Rasa's ``SpacyNLP`` +
``SpacyEntityExtractor`` read ``doc.ents``) and the handoff redaction agree on what is
personal data:

* ``entity_ruler`` (token patterns) labels ``order_id`` and ``email``.
* ``northwind_numbers`` (the small component below) labels ``phone`` and ``card_number``.
  They span several tokens with free-form separators, so they are matched on the text and
  aligned to tokens; a card number must also pass the Luhn check.

Entity labels are exactly ``order_id``, ``email``, ``phone``, ``card_number``.

Formats recognised (case-insensitive, because Rasa lowercases text by default):

* ``order_id``: ``NW-10007``, ``nw-10007``, ``NW10007`` and ``NW 10007``; an id glued to
  other characters (``ANW-10007``, ``order#NW-10007``) is not an order id.
* ``email``: anything spaCy's ``like_email`` accepts.
* ``phone``: international ``+<country> <digits…>`` (8-15 digits in all), and North American
  ``(555) 123-4567``, ``555-123-4567``, ``555.123.4567``, ``555 123 4567``, ``1-555-123-4567``,
  ``5551234567``. Dates (``2026-11-23``, ``11/23/2026``) are not phones.
* ``card_number``: 13-19 digits, optionally grouped by single spaces or dashes, Luhn-valid.

Loading a saved pipeline needs this module imported first (it registers
``northwind_numbers``); ``python -m assistant.pii build <dir>`` writes one.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

LABELS = ("order_id", "email", "phone", "card_number")
# Order ids are not personal data: agents need them verbatim.
REDACTED_LABELS = ("email", "phone", "card_number")

ORDER_ID_PATTERNS = [
    {"label": "order_id", "pattern": [{"LOWER": {"REGEX": r"^nw-?\d{5}$"}}]},
    {"label": "order_id", "pattern": [{"LOWER": "nw"}, {"TEXT": {"REGEX": r"^\d{5}$"}}]},
]
EMAIL_PATTERNS = [{"label": "email", "pattern": [{"LIKE_EMAIL": True}]}]

# (?<![\w+]) / (?!\w): the number must not be glued to letters, digits or a leading "+".
_CARD_RE = re.compile(r"(?<![\w+])\d(?:[ -]?\d){12,18}(?![\w])")
_PHONE_RES = (
    # International: +CC then digit groups separated by one space, dash, dot or parentheses.
    re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\w])"),
    # North American: optional leading 1, area code (maybe in parentheses), 3 + 4 digits.
    re.compile(r"(?<![\w+])(?:1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w])"),
    # A bare 10-digit North American number; area codes never start with 0 or 1.
    re.compile(r"(?<![\w+])[2-9]\d{9}(?![\w])"),
)


def luhn_valid(digits: str) -> bool:
    """True when a string of digits passes the Luhn checksum used by payment cards."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _number_spans(doc: Doc) -> list[Span]:
    spans: list[Span] = []
    for match in _CARD_RE.finditer(doc.text):
        digits = _digits(match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            span = doc.char_span(*match.span(), label="card_number", alignment_mode="expand")
            if span is not None:
                spans.append(span)
    for pattern in _PHONE_RES:
        for match in pattern.finditer(doc.text):
            if not 7 <= len(_digits(match.group())) <= 15:
                continue
            span = doc.char_span(*match.span(), label="phone", alignment_mode="expand")
            if span is not None:
                spans.append(span)
    return spans


@Language.component("northwind_numbers")
def northwind_numbers(doc: Doc) -> Doc:
    """Add phone and Luhn-valid card number entities without overriding earlier ones."""
    # Earlier entities (order ids, emails) come first so filter_spans keeps them on ties;
    # otherwise the longest span wins, so a card number is never split into phones.
    doc.ents = filter_spans(list(doc.ents) + _number_spans(doc))
    return doc


def build_nlp() -> Language:
    """A blank English pipeline that labels order ids, emails, phones and card numbers."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(ORDER_ID_PATTERNS + EMAIL_PATTERNS)
    nlp.add_pipe("northwind_numbers", after="entity_ruler")
    nlp.meta["name"] = "northwind_en"
    nlp.meta["description"] = "Northwind Goods order ids and personal data (blank English)."
    return nlp


def save_pipeline(path: str | Path) -> Path:
    """Write the pipeline to ``path`` so ``spacy.load(path)`` (and Rasa's SpacyNLP) can use it."""
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    build_nlp().to_disk(target)
    return target


@functools.lru_cache(maxsize=1)
def default_nlp() -> Language:
    """The shared pipeline, built on first use (building takes a moment, so never at import)."""
    return build_nlp()


@dataclass(frozen=True)
class Redaction:
    """One redacted occurrence: ``value`` was at ``start:end`` of text number ``index``."""

    placeholder: str
    kind: str
    value: str
    start: int
    end: int
    index: int = 0


def _same_value_key(kind: str, value: str) -> tuple[str, str]:
    # "Same value" means the same email ignoring case, or the same digits ignoring spacing.
    if kind == "email":
        return kind, value.lower()
    return kind, _digits(value)


class _Numbering:
    """Hands out ``[KIND_n]`` placeholders, reusing one for a repeated value."""

    def __init__(self) -> None:
        self._by_value: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def placeholder(self, kind: str, value: str) -> str:
        key = _same_value_key(kind, value)
        if key not in self._by_value:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._by_value[key] = f"[{kind.upper()}_{self._counts[kind]}]"
        return self._by_value[key]


def _redact_one(
    text: str, nlp: Language, numbering: _Numbering, index: int
) -> tuple[str, list[Redaction]]:
    if not isinstance(text, str):
        raise TypeError(f"redact expects text as str, got {type(text).__name__}")
    doc = nlp(text)
    found = [
        Redaction(
            placeholder=numbering.placeholder(ent.label_, ent.text),
            kind=ent.label_,
            value=ent.text,
            start=ent.start_char,
            end=ent.end_char,
            index=index,
        )
        for ent in doc.ents
        if ent.label_ in REDACTED_LABELS
    ]
    pieces: list[str] = []
    cursor = 0
    for item in found:
        pieces.append(text[cursor : item.start])
        pieces.append(item.placeholder)
        cursor = item.end
    pieces.append(text[cursor:])
    return "".join(pieces), found


def redact(text: str, nlp: Language | None = None) -> tuple[str, list[Redaction]]:
    """Replace emails, phones and card numbers with ``[EMAIL_1]``-style placeholders.

    Returns the redacted text and one ``Redaction`` per occurrence, in text order.
    """
    return _redact_one(text, nlp or default_nlp(), _Numbering(), 0)


def redact_many(
    texts: Iterable[str], nlp: Language | None = None
) -> tuple[list[str], list[Redaction]]:
    """Redact a whole transcript with one numbering, so a value keeps its placeholder."""
    pipeline = nlp or default_nlp()
    numbering = _Numbering()
    redacted: list[str] = []
    found: list[Redaction] = []
    for index, text in enumerate(texts):
        clean, items = _redact_one(text, pipeline, numbering, index)
        redacted.append(clean)
        found.extend(items)
    return redacted, found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "build":
        print("usage: python -m assistant.pii build <output directory>", file=sys.stderr)
        return 2
    target = save_pipeline(args[1])
    print(f"wrote spaCy pipeline to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
