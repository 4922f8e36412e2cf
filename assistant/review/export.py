"""Write the accepted review items as Rasa NLU data: redacted, without (near-)duplicates.

Personal data is redacted with the project's own redaction (assistant/pii.py) and each
placeholder becomes an annotated example value (``[someone@example.com](email)``), so the
example still teaches the entity and carries no customer's data. An example is dropped when
it is a duplicate or near-duplicate (the same words after normalising, or a
``difflib`` similarity of at least ``NEAR``) of one already in data/nlu/ or exported before
it. Intents the domain does not have yet wait (docs/designers.md, "Add an intent"), so
``rasa data validate`` keeps passing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.review.items import normalised

NEAR = 0.9
LEARNED = "learned.yml"
# Example values that the spaCy pipeline finds as the same entity kinds (the card number is
# the standard Luhn-valid test number), so `rasa test` can still check the annotations.
STAND_INS = {
    "EMAIL": "[someone@example.com](email)",
    "PHONE": "[555-010-0199](phone)",
    "CARD_NUMBER": "[4111 1111 1111 1111](card_number)",
}
PLACEHOLDER = re.compile(r"\[(EMAIL|PHONE|CARD_NUMBER)_\d+\]")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
HEADER = (
    "# Examples conversation designers accepted with `make review` (docs/designers.md).\n"
    "# Written by `make review`; a decision changed there rewrites this file.\n"
)

Redact = Callable[[str], str]


@dataclass
class Export:
    """What was written, and what was left out with the reason."""

    examples: dict[str, list[str]] = field(default_factory=dict)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (text, of which example)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (intent, text)


def stand_ins(redacted: str) -> str:
    """Placeholders of assistant/pii.py replaced with annotated example values."""
    return PLACEHOLDER.sub(lambda match: STAND_INS[match.group(1)], redacted)


def plain(example: str) -> str:
    """An example's text without its entity annotations."""
    return ANNOTATION.sub(lambda match: match.group(1), example)


def existing_examples(nlu_dir: Path) -> list[str]:
    """Every example in data/nlu/ except the exported file itself, as plain text."""
    found: list[str] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        if path.name == LEARNED:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            examples = block.get("examples") if isinstance(block, dict) else None
            if isinstance(examples, str):
                found += [line.strip()[2:] for line in examples.splitlines() if line.strip()]
    return [plain(example) for example in found]


class _Seen:
    """Normalised examples, for the exact and the near-duplicate checks."""

    def __init__(self, examples: Iterable[str]) -> None:
        self.by_norm: dict[str, str] = {}
        for example in examples:
            self.by_norm.setdefault(normalised(example), example)

    def match(self, text: str) -> str | None:
        norm = normalised(text)
        if norm in self.by_norm:
            return self.by_norm[norm]
        for other, example in self.by_norm.items():
            matcher = difflib.SequenceMatcher(None, norm, other)
            if matcher.real_quick_ratio() >= NEAR and matcher.ratio() >= NEAR:
                return example
        return None

    def add(self, text: str) -> None:
        self.by_norm.setdefault(normalised(text), text)


def build(
    accepted: Iterable[tuple[str, str]],
    existing: Iterable[str],
    intents: set[str],
    redact: Redact,
) -> Export:
    """The export of the accepted ``(intent, text)`` pairs, oldest decision first."""
    out = Export()
    seen = _Seen(existing)
    for intent, text in accepted:
        example = stand_ins(redact(text)).replace("\n", " ").strip()
        if intent not in intents:
            out.waiting.append((intent, example))
            continue
        twin = seen.match(plain(example))
        if twin is not None:
            out.duplicates.append((example, twin))
            continue
        seen.add(plain(example))
        out.examples.setdefault(intent, []).append(example)
    return out


def to_yaml(export: Export) -> str:
    """Rasa NLU data (format 3.1), intents and examples in a stable order for `git diff`."""
    lines = [HEADER, 'version: "3.1"', "nlu:"]
    for intent in sorted(export.examples):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {example}" for example in sorted(export.examples[intent])]
    if not export.examples:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
