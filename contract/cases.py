"""Cases a person must own, found by rules over the customer's words.

Here in ``contract/`` because two processes read these rules: the assistant's handoff policy
(``assistant/policy.py``, inside Rasa) routes such a message to the risk check even when the
classifier fell back, and the action server's risk check (``actions/action_assess_risk.py``)
records each case with its reason. Both import this stdlib-only module; neither imports the
other, so the NLU process never loads the action server's code.

The classifier's intents are one signal; these rules are the other, so a legal threat or a
fraud report is handed to a person even when the classifier does not understand it. Each
rule is a set of phrases over the message's lower-case words; a phrase counts unless a
negation stands within a few words before it ("I'm not going to sue, I just want my
refund" is not a legal threat, and "I didn't authorise this charge" is a fraud report
because "didn't" belongs to the phrase itself).

Every kind is one of ``contract/case_kinds.py``'s, which the risk check (``actions/risk.py``)
escalates whatever else is true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contract.case_kinds import CASE_LABELS
from contract.person_request import NEGATIONS, words

# Parts of the charged-more-than-once phrases: a count of charges, for one thing, where the
# count does not follow words that pay in parts ("can I make two payments for one order").
_COUNT = r"(two|three|four|2|3|4|multiple|several)"
_CHARGES = r"(payments|charges|transactions|debits)"
_ONE_THING = r"(one|a single|the same|just one|only one)"
_NOT_IN_PARTS = r"(?<!make )(?<!into )(?<!in )"
# Request kind -> phrases (regular expressions over space-joined lower-case words).
RULES: dict[str, tuple[str, ...]] = {
    "legal_request": (
        r"\b(my|a|our) (lawyer|lawyers|attorney|attorneys|solicitor|solicitors|legal team)\b",
        r"\b(sue|suing|sued)\b",
        r"\blegal action\b",
        r"\b(take|taking) (you|this|it) to court\b",
        r"\bsmall claims\b",
        r"\blawsuit\b",
        r"\blegal (notice|proceedings)\b",
        r"\bsee you in court\b",
    ),
    "fraud": (
        r"\bfraud\w*\b",
        r"\bscam(med)?\b",
        r"\b(someone|somebody|a stranger) (used|has used|is using|took|stole) "
        r"my (card|account|details|identity)\b",
        r"\bwithout my (permission|consent|authori[sz]ation|knowledge)\b",
        r"\b(didn't|did not|never|didnt) (authori[sz]e|approve|make|order|place) "
        r"(this|that|these|those|the|it|any)\b",
        r"\bunauthori[sz]ed\b",
        r"\b(account|card|email) (was|has been|got|is) (hacked|compromised|stolen|taken over)\b",
        r"\bhacked\b",
        r"\bidentity theft\b",
        r"\bstolen card\b",
    ),
    "payment_dispute": (
        # Charged more than once for one thing, in any count or wording.
        r"\b(charged|billed|debited|paid) (me )?(twice|two times|double|three times|"
        r"four times|several times|multiple times|many times|more than once)\b",
        r"\bdouble (charge|charged|billed|payment)\b",
        rf"\b{_NOT_IN_PARTS}({_COUNT}|duplicate|duplicated|repeated) {_CHARGES} (on|from|in|"
        rf"taken|went|showing|for {_ONE_THING})\b",
        # The same charge more than once ("two identical payments of 49.99"), or a count of
        # them for one thing up to eight words on ("2 charges of 30 in my app for one lamp").
        rf"\b{_COUNT} (identical|same|duplicate|duplicated|matching|repeat|repeated) {_CHARGES}\b",
        rf"\b{_NOT_IN_PARTS}{_COUNT} {_CHARGES}( \S+){{1,8}} for {_ONE_THING}\b",
        r"\b(took|taken|take|taking) (the |my )?(money|payment) (twice|two times|again|"
        r"more than once)\b",
        r"\bonly (bought|ordered|purchased|paid for)( (it|this|that|them|one))? once\b",
        r"\bovercharged\b",
        r"\b(dispute|disputing|contest|contesting) (it|this|that|((a|an|the|this|that|my|one) )?"
        r"(charge|charges|payment|payments|transaction|transactions|bill|debit|invoice))\b",
        r"\bcharge i don'?t recogni[sz]e\b",
    ),
    "chargeback": (
        r"\bchargeback\b",
        r"\bcharge back\b",
        r"\b(reverse|claw back) the (charge|payment|money)\b",
        r"\b(dispute|disputing) ((it|this|the charge) )?with my (bank|card)\b",
    ),
    "data_protection": (
        r"\bgdpr\b",
        r"\bccpa\b",
        r"\bsubject access\b",
        r"\b(delete|erase|remove|wipe) (all )?(of )?my "
        r"(personal )?(data|information|info|details)\b",
        r"\bwhat (personal )?(data|information|info) (do )?you (hold|have|store|keep|collect)\b",
        r"\bdata protection\b",
        r"\bright to be forgotten\b",
        r"\bcopy of (my|the) (personal )?(data|information)\b",
    ),
    "regulator_complaint": (
        r"\btrading standards\b",
        r"\bbbb\b",
        r"\bbetter business bureau\b",
        r"\bftc\b",
        r"\bconsumer (protection|rights|affairs|ombudsman|watchdog)\b",
        r"\bombudsman\b",
        r"\b(report|reporting) you to\b",
        r"\bregulator\b",
        r"\battorney general\b",
    ),
    "harm_complaint": (
        r"\b(injured|injury|injuries|hurt|burned|burnt|bruised|bleeding|hospital|poisoned)\b",
        r"\bcut (myself|my (hand|finger|fingers|arm|leg|foot))\b",
        r"\b(allergic reaction|rash)\b",
        r"\b(damaged|ruined|destroyed|flooded|scorched|stained) my\b",
        r"\bcaused (damage|a leak|a flood)\b",
    ),
}
# How many words before a phrase a negation still covers.
NEGATION_REACH = 4
_COMPILED = {kind: tuple(re.compile(p) for p in phrases) for kind, phrases in RULES.items()}


@dataclass(frozen=True)
class Case:
    """A case a person must own: its request kind and the words that showed it."""

    kind: str
    matched: str

    @property
    def label(self) -> str:
        return CASE_LABELS[self.kind]


def _negated(text: str, start: int, phrase: str) -> bool:
    if phrase.split()[0] in NEGATIONS:
        return False
    before = text[:start].split()[-NEGATION_REACH:]
    return any(word in NEGATIONS for word in before)


def find(text: str) -> list[Case]:
    """Every kind of case the message shows, in rule order, each with its first match."""
    if not isinstance(text, str):
        raise TypeError(f"find() needs a str, got {type(text).__name__}")
    joined = " ".join(words(text))
    found = []
    for kind, patterns in _COMPILED.items():
        for pattern in patterns:
            hit = next(
                (m for m in pattern.finditer(joined) if not _negated(joined, m.start(), m[0])),
                None,
            )
            if hit is not None:
                found.append(Case(kind, hit[0]))
                break
    return found
