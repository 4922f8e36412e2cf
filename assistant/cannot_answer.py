"""Does a message say the customer cannot give what a form asks for ("not sure", "I lost it")?

Pure: text in, the words that said so (or None) out, so a table of cases tests it in
milliseconds. The handoff policy (assistant/step.py) reads it while a form asks for an order
number, an email or an address: the classifier takes "not sure" or "no idea" for ``deny``,
whose rule stops the form ("Okay, I've stopped"), when the customer meant that they cannot
find the number. The policy answers with ``utter_cannot_answer`` instead (a person can help
without it) and the form asks again, so a customer who keeps not having it is brought to a
person by the loop trigger rather than left at "What else can I help you with?".

A message that also says to stop ("not sure, forget it", "no idea, cancel") is left to the
classifier: the customer changed their mind.
"""

from __future__ import annotations

import re

from assistant.loops import normalise

# Apostrophes (straight or typographic) dropped first, so "don't" and "dont" read alike.
_APOSTROPHES = re.compile("['\u2019`]")

_ME = r"(?:i|im|i am|ive|i have|i really|i honestly|honestly|tbh)?\s*"
_IT = (
    r"(?:it|that|this|one|them|the number|my number|the order number|my order number|"
    r"the order|the email|the confirmation|the receipt|any|a number|an order number)"
)
# Each pattern says the customer lacks what was asked, not that they refuse it.
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\b(?:dunno|donno|idk|idek|no idea|no clue|not a clue|not sure|unsure|not certain)\b",
        r"\b(?:dont|do not|didnt|did not) (?:know|remember|recall|have a clue)\b",
        r"\b(?:dont|do not|didnt|did not|never) (?:have|got|get|received|keep|kept) " + _IT,
        r"\b(?:havent|have not|never) (?:got|had|received) " + _IT,
        r"\b(?:cant|cannot|can not|couldnt|could not|unable to) "
        r"(?:find|remember|recall|locate|see|access|get to|get into|look)\b",
        _ME + r"(?:lost|forgot|forgotten|misplaced|deleted|threw away|thrown away)\b",
        r"\bno (?:order )?(?:number|email|receipt|confirmation)\b",
        # Without the auxiliary, as customers writing in a second language put it.
        r"\b(?:i )?(?:not|no) (?:know|remember|have it|have (?:a |an |the |my )?(?:order )?"
        r"(?:number|email|receipt|confirmation))\b",
        r"\bwhere (?:do|would|can) i (?:find|get|see)\b",
    )
)
# Words that make the message a change of mind, which the form's stop rule handles.
_STOP = re.compile(
    r"\b(?:cancel|stop|forget it|forget about it|never ?mind|nevermind|changed my mind|"
    r"leave it|drop it|dont want|do not want|dont bother|rather not|no thanks|skip it)\b"
)


def cannot_answer(text: str) -> str | None:
    """The words saying the customer cannot give what was asked, or None."""
    words = normalise(_APOSTROPHES.sub("", text))
    if not words or _STOP.search(words):
        return None
    for pattern in _PATTERNS:
        found = pattern.search(words)
        if found:
            return found.group(0).strip()
    return None
