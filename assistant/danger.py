"""Imminent danger in a customer's message: fire, smoke, sparks, gas, an injury now, self-harm.

Pure: text (and the intent the classifier chose) in, a ``Danger`` or None out, so a table of
cases tests it in milliseconds. Both the handoff policy (to bring in a person in the same turn,
in any dialogue state) and the handoff action (to say which danger and pick the safety
message) call ``danger_of``; the two can never disagree.

A danger word counts only when it is said as happening now: a negation before it in the same
clause ("no smoke", "it isn't sparking"), a question about a possibility ("is it safe if...",
"what if it catches fire") or a finished past event ("cut himself on it last week") dismiss it.
A past harm is a complaint for a person (escalation), not an emergency. The classifier's
``emergency`` intent adds what the rules do not list, unless the rules dismissed the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMERGENCY_INTENT = "emergency"
SELF_HARM = "threat of self-harm"

# (label, pattern); the label is what an agent reads in the reasons.
_SIGNS: tuple[tuple[str, str], ...] = (
    (
        "fire",
        r"on fire|caught fire|catch(?:es|ing)? fire|(?:burst|bursting) into flames|in flames"
        r"|flames?|flaming|ablaze|\bfire\b(?!\s*(?:tv|stick|tablet|sale|safety|rating|resistant|retardant|proof|door))",
    ),
    ("smoke", r"smok(?:e|es|ing|ey|y)\b"),
    ("sparks", r"spark(?:s|ing|ed|ed out)?\b"),
    (
        "burning smell",
        r"burning (?:smell|plastic|rubber|odou?r)|smells? (?:like |of )?burn(?:ing|t)"
        r"|smell of burn(?:ing|t)",
    ),
    ("melting", r"melt(?:s|ing|ed)\b"),
    (
        "gas",
        r"gas (?:smell|leak|leaking)|smell(?:s|ing)? (?:of |like )?gas\b|leaking gas"
        r"|gas is leaking",
    ),
    (
        "electric shock",
        r"electrocut\w*|electric(?:al)? shocks?|(?:got|getting|gave \w+) (?:a )?shock"
        r"|shocked me|shocking me",
    ),
    ("explosion", r"explo(?:de|des|ded|ding|sion)|blew up|blowing up"),
    (
        "an injury",
        r"bleeding|burn(?:ed|t) (?:my|his|her|their|our) \w+|(?:is|am|i'm|are) (?:badly )?"
        r"(?:hurt|injured)|can'?t breathe|unconscious|not breathing|choking",
    ),
    (
        SELF_HARM,
        r"kill (?:myself|me)\b|end (?:it all|my life)|suicid\w*|want to die|(?:hurt|harm) myself"
        r"|self[- ]harm|don'?t want to (?:live|be alive)|better off dead|take my (?:own )?life",
    ),
)
_COMPILED = tuple((label, re.compile(pattern, re.IGNORECASE)) for label, pattern in _SIGNS)

# Clause boundaries: a negation or a question in one clause says nothing about the next.
_CLAUSES = re.compile(r"[.!?;\n]+|,\s*(?:but|and)\b|\bbut\b", re.IGNORECASE)
# A negation shortly before the danger word in its clause.
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nothing|none|neither|nor|isn'?t|aren'?t|wasn'?t|doesn'?t|didn'?t"
    r"|don'?t|won'?t|hasn'?t|haven'?t|stopped|any)\b(?:\s+[\w']+){0,3}\s*$",
    re.IGNORECASE,
)
# Words that look like a negation but make the danger worse: "oh no", "it won't stop bleeding",
# "we can't put it out". They are taken out before looking for a negation.
_INTENSIFIERS = re.compile(
    r"\boh,?\s+no\b|\b(?:won'?t|can'?t|cannot|doesn'?t|does not|will not|isn'?t|is not)\s+"
    r"(?:stop(?:ping)?|go(?:ing)? out|put (?:it|this|that) out|turn (?:it|this|that) off)\b",
    re.IGNORECASE,
)
# A possibility asked about, not a fact: these open the clause that holds the danger word.
_HYPOTHETICAL = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:is it safe|is it normal|is it ok(?:ay)?|what if|what happens if"
    r"|could (?:it|this|that)|can (?:it|this|that)|would (?:it|this|that)|will (?:it|this|that)"
    r"|might (?:it|this|that)|in case|if|how (?:do|can)"
    r" i (?:stop|prevent|avoid)|how likely|is there a risk|any risk|risk of)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:last (?:week|month|year|night|time)|yesterday|ago|earlier this (?:week|month|year)"
    r"|previously|back in|once before|in the past)\b",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(?:now|still|currently|at the moment|as we speak|right away)\b", re.I)


@dataclass(frozen=True)
class Danger:
    """What is dangerous now, in the rules' words (empty when only the classifier saw it)."""

    signs: tuple[str, ...]

    @property
    def self_harm(self) -> bool:
        return SELF_HARM in self.signs

    @property
    def reason(self) -> str:
        """E.g. ``imminent danger: smoke and sparks``, for the risk check's reasons."""
        if not self.signs:
            return "imminent danger reported"
        said = list(self.signs)
        words = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
        return f"imminent danger: {words}"


@dataclass(frozen=True)
class Reading:
    """The rules' reading of a message: signs said as happening now, and signs dismissed."""

    signs: tuple[str, ...] = ()
    dismissed: tuple[str, ...] = ()


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSES.split(text) if part and part.strip()]


def _is_current(clause: str, start: int) -> bool:
    if _NEGATION.search(_INTENSIFIERS.sub(" ", clause[:start])):
        return False
    if _HYPOTHETICAL.search(clause):
        return False
    return not (_PAST.search(clause) and not _NOW.search(clause))


def read(text: str) -> Reading:
    """Every danger sign in the text, split into current and dismissed, in the table's order."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    current: set[str] = set()
    dismissed: set[str] = set()
    for clause in _clauses(text):
        for label, pattern in _COMPILED:
            for match in pattern.finditer(clause):
                (current if _is_current(clause, match.start()) else dismissed).add(label)
    order = [label for label, _ in _SIGNS]
    return Reading(
        tuple(label for label in order if label in current),
        tuple(label for label in order if label in dismissed - current),
    )


def danger_of(text: str | None, intent: str | None = None) -> Danger | None:
    """The danger the customer is in now, by the rules or the classifier; None when there is none.

    The classifier's ``emergency`` intent alone is enough, unless every danger word the rules
    found was negated, hypothetical or in the past.
    """
    reading = read(text or "")
    if reading.signs:
        return Danger(reading.signs)
    if intent == EMERGENCY_INTENT and not reading.dismissed:
        return Danger(())
    return None
