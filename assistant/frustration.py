"""Signs of frustration that VADER's lexicon misses, and the score they push down.

VADER scores words; an angry customer often writes plain words angrily. Five signals, each a
pure function of the text:

- ``caps``: most letters are capitals ("WHERE IS MY ORDER"), judged only on messages with at
  least ``frustration_caps_min_letters`` letters, so "OK" or "NW-12345" never count;
- ``punctuation``: a run of ``frustration_punctuation_run`` or more ``!``/``?`` ("why???");
- ``repeated_contact``: the customer says they are asking again ("third time",
  "again", "already told you", "still broken");
- ``waiting``: the customer has waited too long ("a week late", "still no package",
  "been waiting for days");
- ``sarcasm``: praise over a complaint ("great, another week without my package").

:func:`frustration` adds them to VADER's compound: every signal that fires subtracts its
weight from config.yml (``frustration_*_weight``), and the result is clipped to -1. A weight
of 0 turns a signal off. The names of the signals that fired travel with the score, so the
handoff context and the agent see why a message counted as negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.thresholds import Thresholds

CAPS = "caps"
PUNCTUATION = "punctuation"
REPEATED_CONTACT = "repeated_contact"
WAITING = "waiting"
SARCASM = "sarcasm"
SIGNALS = (CAPS, PUNCTUATION, REPEATED_CONTACT, WAITING, SARCASM)

# Order ids, emails, links and handles are written in capitals or symbols for reasons that
# have nothing to do with mood.
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|@\w+|#\w+|\bNW-?\s?\d+\b", re.IGNORECASE)
_PUNCTUATION_RUN = re.compile(r"[!?]{2,}")
_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|a few|a couple of)"
_REPEATED_CONTACT = re.compile(
    r"\b(?:(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)|nth|umpteenth) time"
    r"|(?:once|yet) again|again|already (?:told|asked|called|emailed|written|wrote)"
    # "still" alone is too common ("is it still covered?"): only over a complaint.
    r"|still (?:broken|wrong|missing|late|unresolved|faulty|damaged|charged|charging|happening"
    r"|not|no|the same|an issue|a problem)"
    r"|(?:keep|kept) (?:asking|calling|telling|writing|getting)"
    rf"|how many (?:more )?times|{_NUMBER} times (?:now|already)"
    r"|asked (?:you )?before|told you before)\b",
    re.IGNORECASE,
)
_WAITING = re.compile(
    rf"\b(?:(?:an?|one|{_NUMBER}) (?:hours?|days?|weeks?|months?) (?:late|overdue|delayed)"
    r"|(?:late|overdue|delayed) (?:by|for) (?:an?|one|\d+|two|three|several|many|days|weeks)"
    r"|still (?:no|not|nothing|waiting|hasn'?t|haven'?t|didn'?t|don'?t|doesn'?t)"
    r"|(?:been|still|keep|kept) waiting"
    r"|waited (?:for )?(?:ages|so long|forever|\w+ (?:hours|days|weeks))"
    r"|on hold (?:for|again)|never (?:arrived|came|showed up|received|got)"
    rf"|(?:hours?|days?|weeks?) (?:and|later,?|now,?) (?:still|nothing|no)"
    r"|(?:hasn'?t|has not|haven'?t|have not) (?:arrived|come|shipped|been (?:shipped|delivered))"
    r"|where (?:the hell|on earth) is my|no (?:one|body) (?:has )?(?:answered|replied|called)"
    r"|ages ago|taking (?:so|too) long|took (?:so|too) long)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:great|awesome|perfect|wonderful|fantastic|brilliant|amazing|lovely|excellent|nice"
    r"|thanks (?:a lot|for nothing)|thank you (?:so much )?for nothing|love (?:it|that|how)"
    r"|just what i (?:needed|wanted)|good job|well done|way to go|so helpful|real(?:ly)? helpful)"
    r"\b",
    re.IGNORECASE,
)
_COMPLAINT = re.compile(
    r"\b(?:another|again|still|no|not|never|nothing|without|late|delay(?:ed)?|cancel+ed"
    r"|lost|broken|damaged|missing|wrong|waiting|hold|hours?|days?|weeks?|"
    r"(?:has|have|does|did|is|was|were|can|could|would|wo|do)n'?t)\b",
    re.IGNORECASE,
)
# Praise within this many characters before a complaint reads as sarcasm.
_SARCASM_SPAN = 60


@dataclass(frozen=True)
class Frustration:
    """The score the sentiment trigger reads, and the signals that pushed it down."""

    score: float
    signals: tuple[str, ...]


def caps_ratio(text: str, min_letters: int) -> float | None:
    """Share of capitals among the letters; None when too few letters to judge."""
    letters = [c for c in _NOT_WORDS.sub(" ", text) if c.isalpha()]
    if len(letters) < min_letters:
        return None
    return sum(c.isupper() for c in letters) / len(letters)


def punctuation_run(text: str) -> int:
    """Length of the longest run of ``!`` and ``?``; 1 or 0 for ordinary punctuation."""
    runs = [len(m.group(0)) for m in _PUNCTUATION_RUN.finditer(text)]
    return max(runs, default=1 if ("!" in text or "?" in text) else 0)


def repeated_contact(text: str) -> bool:
    """The customer says they are asking (or waiting) again."""
    return _REPEATED_CONTACT.search(text) is not None


def waiting_too_long(text: str) -> bool:
    """The customer says something is late or they have waited too long."""
    return _WAITING.search(text) is not None


def sarcasm(text: str) -> bool:
    """Praise followed closely by a complaint: "great, another week without my package"."""
    for praise in _PRAISE.finditer(text):
        after = text[praise.end() : praise.end() + _SARCASM_SPAN]
        if _COMPLAINT.search(after):
            return True
    return False


def fired_signals(text: str, thresholds: Thresholds) -> tuple[str, ...]:
    """Names of the signals that fire on this text, in the order of SIGNALS."""
    ratio = caps_ratio(text, thresholds.frustration_caps_min_letters)
    checks = {
        CAPS: ratio is not None and ratio >= thresholds.frustration_caps_ratio,
        PUNCTUATION: punctuation_run(text) >= thresholds.frustration_punctuation_run,
        REPEATED_CONTACT: repeated_contact(text),
        WAITING: waiting_too_long(text),
        SARCASM: sarcasm(text),
    }
    return tuple(name for name in SIGNALS if checks[name] and weight(name, thresholds) > 0)


def weight(signal: str, thresholds: Thresholds) -> float:
    """How far one signal pushes the score down (config.yml ``frustration_<signal>_weight``)."""
    return float(getattr(thresholds, f"frustration_{signal}_weight"))


def frustration(text: str, compound: float, thresholds: Thresholds) -> Frustration:
    """VADER's compound pushed down by every frustration signal in the text, clipped to -1."""
    signals = fired_signals(text, thresholds)
    value = compound - sum(weight(name, thresholds) for name in signals)
    return Frustration(max(-1.0, round(value, 4)), signals)
