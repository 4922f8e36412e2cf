"""Requests for a person, in the many ways customers say them.

The word lists here are the one source of these wordings. The assistant builds its spaCy
patterns from them, and the handoff service calls :func:`detect` itself when the assistant
is not answering, so both sides recognise the same requests.

How a message is read:

1. Every word is put in canonical form (:func:`canonical`): lower case, runs of three or more
   equal letters shortened ("HUMAAAN"), plurals and common typos of the person words mapped
   to the vocabulary ("represenative", "agnet", "custmer servce").
2. The message is cut into clauses at sentence punctuation, commas and "but", "just",
   "instead", "rather".
3. A clause asks for a person when
   - it holds a person word and nothing but polite filler ("HUMAN!!!", "real person please",
     "can I have an agent"), or
   - a request cue ("speak", "talk", "get", "want", "transfer", …) is followed by a person
     word with only linking words between ("let me speak to your manager", "get me a rep",
     "put me through to customer service"; not "send a gift to someone"), or
   - it asks whether a person is there ("is there a human", "any agents available",
     "is anyone there"), or it asks to escalate, or
   - it only asks to be handed on ("transfer me", "can you put me through please"), or
   - it asks to be called back or to phone ("can someone call me back", "ring me",
     "what number can I call you on"): a request with ``callback`` set.
4. Except when the cue or the person word is negated within a few words ("I don't need a
   person", "no agent needed"), or the clause asks who the customer is talking to ("am I
   talking to a real person?", "are you a human?", "is anyone on the other end?"): that is
   the identity question, which the assistant answers itself.

"someone", "anyone" and "somebody" count only after a conversational cue ("talk to
someone") or when asking whether anyone is there, since "someone used my card" and "I need
someone to sign for it" are not requests for a person.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Canonical person word -> the forms customers write (plurals, abbreviations, synonyms).
PERSON_WORDS: dict[str, tuple[str, ...]] = {
    "person": ("person", "persons", "people", "ppl", "being", "beings"),
    "human": ("human", "humans", "hooman", "humain", "hmn"),
    "agent": ("agent", "agents", "agnt"),
    "representative": ("representative", "representatives", "rep", "reps"),
    "operator": ("operator", "operators"),
    "manager": ("manager", "managers", "boss", "ceo", "owner"),
    "supervisor": ("supervisor", "supervisors"),
    "staff": ("staff", "staffer", "employee", "employees", "colleague", "colleagues"),
    "advisor": (
        "advisor",
        "advisors",
        "adviser",
        "advisers",
        "consultant",
        "associate",
        "specialist",
    ),
}
# Words that name a person only after a conversational cue ("contact support", "talk to
# someone", "talk to your team"), or in "is anyone there".
SOMEONE_WORDS = ("someone", "somebody", "anyone", "anybody", "sb", "support", "team", "whoever")
# "someone from your team around?": who the someone works for may stand between the someone
# word and the words that ask whether one is there.
AFFILIATION_WORDS = _word_set("from at on in of with")
AFFILIATION_DETERMINERS = _word_set("your ur the this that support")
BUSINESS_WORDS = _word_set(
    "team company shop store business firm office side end staff support desk northwind you there"
)
# The one who decides, asked for without a title: "a word with whoever is in charge" ("the
# person in charge" is a person word, and needs a cue like every other one).
IN_CHARGE: tuple[str, ...] = ("in", "charge")
# Two-word names of the people behind the shop, matched on canonical words.
PERSON_PHRASES: tuple[tuple[str, str], ...] = (
    ("customer", "service"),
    ("customer", "services"),
    ("customer", "support"),
    ("customer", "care"),
    ("support", "team"),
    ("help", "desk"),
    ("support", "desk"),
    ("helpdesk", ""),
    ("service", "desk"),
    ("real", "one"),
)
# Verbs that, followed by a person word, ask for one.
REQUEST_CUES = _word_set(
    "speak speaking talk talking chat chatting connect connected transfer transferred put "
    "pass forward switch hand get give gimme want wanna need needs reach contact escalate "
    "bring prefer request require demand ask find word"
)
# Of those, the ones that also take "someone" / "anyone" ("talk to someone").
CONVERSATION_CUES = _word_set(
    "speak speaking talk talking chat chatting connect connected transfer transferred put "
    "pass forward switch hand reach contact escalate word"
)
# Words that may stand between a cue and the person word ("speak to one of your agents").
LINKING_WORDS = _word_set(
    "to with me us a an the your ur you one of some any real actual actually live proper "
    "true human over through thru up be talk speak chat connected transferred please pls "
    "plz now just member members another other different senior head higher in on for "
    "from can could i directly straight away right immediately asap this there someone "
    "somebody who is at customer support billing sales service"
)
# Words that may fill a clause that is only a request for a person ("a real human please!").
FILLER_WORDS = _word_set(
    "please pls plz plx plse pleas now right asap immediately just a an the real actual "
    "live proper true me i i'd id can could may have get give want need like would some "
    "one only with to for hello hi hey ok okay yes yeah yep um uh thanks thank you sir "
    "madam so already seriously omg ffs god damn dammit being again talk speak chat send "
    "is there any anyone somebody someone here available urgently urgent option mode "
    "kindly my own of yours your"
)
# "Is a person there": a person word, then one of these ("any agents available?").
PRESENCE_WORDS = frozenset({"available", "online", "there", "around", "free", "alive", "real"})
# "someone <help-word>": "is anyone there", "can somebody help".
SOMEONE_PRESENCE = frozenset({"there", "available", "online", "around", "real", "alive", "human"})
NEGATIONS = _word_set(
    "not no never don't dont doesn't doesnt didn't didnt won't wont without nobody "
    "neither nor needn't isn't isnt wasn't wasnt hasn't hasnt haven't havent"
)
# How many words after a negation it still covers ("I don't really want to talk to a person").
NEGATION_REACH = 4
# Clause openings that ask who the customer is talking to, not for a person.
IDENTITY_OPENINGS: tuple[tuple[str, ...], ...] = (
    ("am", "i"),
    ("are", "you"),
    ("are", "u"),
    ("r", "u"),
    ("is", "this"),
    ("is", "it"),
    ("is", "that"),
    ("was", "that"),
    ("you", "are"),
    ("you're",),
    ("youre",),
    ("is", "there", "a", "bot"),
)
# Said around "is there a person", these ask who is answering, not for a person to come.
WHO_ANSWERS_MARKERS = (
    "other end",
    "other side",
    "typing",
    "writing these",
    "behind this",
    "behind the",
    "automated",
    "a bot",
    "a robot",
    "a machine",
    "an ai",
    "answering these",
    "reading this",
)
IDENTITY_WORDS = _word_set(
    "a an real actual talking speaking chatting texting human person bot robot ai machine computer"
)
# Phone words, and what around them means "call me" / "can I call you".
CALL_WORDS = frozenset({"call", "ring", "phone", "callback", "telephone"})
CALL_TARGETS = _word_set("me back you someone somebody anyone support number us customer")
CALL_PHRASES: tuple[tuple[str, ...], ...] = (
    ("give", "me", "a", "call"),
    ("give", "me", "a", "ring"),
    ("get", "back", "to", "me"),
    ("contact", "me"),
    ("reach", "me"),
    ("phone", "number"),
    ("call", "back"),
)
ESCALATE_WORDS = frozenset({"escalate", "escalation"})
# Asking to be handed on without naming who to ("transfer me", "can you put me through",
# "can I be transferred"): in a chat with the shop's assistant, that is to a person. The clause
# must hold one of these and nothing but filler ("transfer me to a new address" is not one).
HANDOVER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("transfer", "me"),
    ("connect", "me"),
    ("forward", "me"),
    ("put", "me", "through"),
    ("pass", "me", "on"),
    ("pass", "me", "over"),
    ("be", "transferred"),
    ("be", "connected"),
)
# Asking a person to act: "can a staff member sort this out", "could an agent look into this",
# "I need a human to check it". A person word (or "someone" with the verbs that hand a whole
# problem over) after one of the openers, and an action verb after it. The opener must stand
# at the start of the clause, after filler only ("the agent could not help" is no request).
ACT_OPENERS = _word_set("can could may would need needs want wanna like get have")
ACT_DETERMINERS = _word_set(
    "a an the one of your ur some any real actual live proper human please pls plz just"
)
# What may come before the opener: filler, other openers, and a few more ("actually can a …").
ACT_OPENING = FILLER_WORDS | ACT_OPENERS | _word_set("actually then maybe well really do")
# Between the person word and the verb: "a staff member to look at", "be able to help".
ACT_LINKS = _word_set("member members to please pls plz just actually maybe kindly be able quickly")
# "someone sort this out" hands the problem to whoever is there; "someone help me track my
# order" may be asking the assistant, so "help" and its like take a person word.
ACT_VERBS_SOMEONE = _word_set("sort handle deal look check fix review resolve investigate")
ACT_VERBS = ACT_VERBS_SOMEONE | _word_set("help assist answer explain")
ACT_PHRASES: tuple[tuple[str, ...], ...] = (("take", "over"), ("take", "a", "look"))
# Telling the problem to a person: "I'd rather explain it to a person", "describe this to your
# manager". The verb may take a short object before "to".
EXPLAIN_VERBS = _word_set("explain describe tell discuss")
EXPLAIN_OBJECTS = _word_set(
    "it this that everything all my the whole problem issue situation thing things stuff case "
    "details story"
)

CLAUSE_BREAK = re.compile(r"[.!?;:,\n()\[\]]+|\b(?:but|just|instead|rather)\b")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
LONG_RUN = re.compile(r"([a-z])\1{2,}")

# Chat spellings too short for the typo rule ("spek to sum1"), and what each one stands for
# (short forms of the person words themselves are in PERSON_WORDS).
SHORT_FORMS: dict[str, str] = {
    "sum1": "someone",
    "some1": "someone",
    "any1": "anyone",
    "ne1": "anyone",
    "spek": "speak",
    "spk": "speak",
    "tlk": "talk",
    "tawk": "talk",
    "2": "to",
    "4": "for",
}
# Real words that lie within a typo of a vocabulary word and must stay as they are.
NOT_TYPOS = _word_set(
    "personal personally persona personnel manage managed manages managing operate "
    "operated operates stuff sneak steak agency urgent humid humane servers server serve "
    "served severe customs costumer supporter custom conflict connects person's boss's "
    "spent spend agenda gents stiff staffs rep's represent"
)
# Vocabulary that typos are corrected to, with the canonical word each form stands for.
_FORMS: dict[str, str] = {
    form: canon for canon, forms in PERSON_WORDS.items() for form in (canon, *forms)
}
_FUZZY_TARGETS: dict[str, str] = {
    **{form: canon for form, canon in _FORMS.items() if len(form) >= 5},
    **{
        word: word
        for word in (
            "someone",
            "somebody",
            "anyone",
            "anybody",
            "customer",
            "service",
            "support",
            "speak",
            "connect",
            "transfer",
            "escalate",
        )
    },
}
# The same targets by length, in the same order: a word is compared only with the targets
# its length lets lie within the typo limit (the others are farther by their lengths alone).
_TARGETS_BY_LENGTH: dict[int, tuple[tuple[str, str], ...]] = {
    length: tuple(
        (target, canon)
        for target, canon in _FUZZY_TARGETS.items()
        if abs(len(target) - length) <= (1 if length < 8 else 2)
    )
    for length in range(5, 1 + max(map(len, _FUZZY_TARGETS)) + 2)
}
# Distinct words remembered by canonical() and messages by detect(): every message is read by
# the NLU pipeline's detectors and again by the handoff policy, and customers reuse words.
CANONICAL_CACHE = 8192
DETECT_CACHE = 256


@dataclass(frozen=True)
class PersonRequest:
    """A request for a person: the words that made it one, and whether to be called back."""

    matched: str
    callback: bool = False


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@functools.lru_cache(maxsize=CANONICAL_CACHE)
def canonical(word: str) -> str:
    """The vocabulary form of one lower-case word: plurals, synonyms and typos mapped."""
    word = LONG_RUN.sub(r"\1", word.lower())
    if word.endswith("'s"):
        word = word[:-2]
    if word in _FORMS:
        return _FORMS[word]
    if word in SHORT_FORMS:
        return SHORT_FORMS[word]
    if word in _FUZZY_TARGETS or word in NOT_TYPOS or len(word) < 5 or not word.isalpha():
        return word
    limit = 1 if len(word) < 8 else 2
    best, best_distance = word, limit + 1
    for target, canon in _TARGETS_BY_LENGTH.get(len(word), ()):
        distance = _distance(word, target, limit)
        if distance < best_distance:
            best, best_distance = canon, distance
    return best


def words(text: str) -> list[str]:
    """The lower-case words of a piece of text, apostrophes kept inside words."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    return WORD.findall(text)


def clauses(text: str) -> list[list[str]]:
    """The clauses of a message, each as its canonical words."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    out = []
    for part in CLAUSE_BREAK.split(text):
        tokens = [canonical(word) for word in words(part or "")]
        if tokens:
            out.append(tokens)
    return out


def _person_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every person word or two-word person phrase in the clause."""
    spans = []
    i = 0
    while i < len(tokens):
        pair = (tokens[i], tokens[i + 1] if i + 1 < len(tokens) else "")
        if pair in PERSON_PHRASES or (tokens[i], "") in PERSON_PHRASES:
            end = i + (2 if pair in PERSON_PHRASES and pair[1] else 1)
            spans.append((i, end))
            i = end
            continue
        if tokens[i] in PERSON_WORDS:
            spans.append((i, i + 1))
        i += 1
    return spans


def _negated(tokens: list[str], index: int) -> bool:
    start = max(0, index - NEGATION_REACH)
    return any(token in NEGATIONS for token in tokens[start:index])


def _is_identity_question(tokens: list[str]) -> bool:
    for opening in IDENTITY_OPENINGS:
        if tuple(tokens[: len(opening)]) == opening:
            rest = tokens[len(opening) : len(opening) + 4]
            if len(opening) >= 3 or any(word in IDENTITY_WORDS for word in rest):
                return True
    return False


def _asks_who_answers(tokens: list[str]) -> bool:
    """ "Is there a person on the other end?", "is anyone typing these or is it automated?"."""
    joined = f" {' '.join(tokens)} "
    return any(f" {marker} " in joined for marker in WHO_ANSWERS_MARKERS)


def _cue_reaches(tokens: list[str], start: int, someone: bool) -> str | None:
    """The cue before position ``start`` that asks for the person word there, if any."""
    # "talk" and "speak" are both links and cues: the nearest cue word decides.
    j = start - 1
    while j >= 0:
        token = tokens[j]
        if token in REQUEST_CUES:
            cues = CONVERSATION_CUES if someone else REQUEST_CUES
            if token in cues and not _negated(tokens, j):
                return token
            if token not in LINKING_WORDS:
                return None
        elif token not in LINKING_WORDS:
            return None
        j -= 1
    return None


def _callback(tokens: list[str]) -> str | None:
    for i, token in enumerate(tokens):
        if token in CALL_WORDS and not _negated(tokens, i):
            if token == "callback":
                return token
            near = tokens[max(0, i - 2) : i] + tokens[i + 1 : i + 3]
            if any(word in CALL_TARGETS for word in near):
                return " ".join(tokens[max(0, i - 1) : i + 2])
    for _, phrase in _phrases_in(tokens, CALL_PHRASES):
        return " ".join(phrase)
    return None


def _phrases_in(
    tokens: list[str], phrases: tuple[tuple[str, ...], ...]
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Where each of ``phrases`` stands in ``tokens`` not negated, phrase by phrase."""
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == phrase and not _negated(tokens, i):
                yield i, phrase


def _past_affiliation(tokens: list[str], start: int) -> int:
    """The position after "from your team" (or "at the shop", "on your end") at ``start``;
    ``start`` itself when no such words stand there."""
    if start >= len(tokens) or tokens[start] not in AFFILIATION_WORDS:
        return start
    j = start + 1
    while j < len(tokens) and tokens[j] in AFFILIATION_DETERMINERS:
        j += 1
    if j < len(tokens) and tokens[j] in BUSINESS_WORDS:
        return j + 1
    return start


def _asks_to_act(tokens: list[str], start: int, end: int, someone: bool) -> str | None:
    """ "can a staff member sort this out": the action asked of the person word at
    ``start:end``, if the clause asks one of it."""
    j = start - 1
    while j >= 0 and tokens[j] in ACT_DETERMINERS:
        j -= 1
    if j < 0 or tokens[j] not in ACT_OPENERS or _negated(tokens, j):
        return None
    if not all(t in ACT_OPENING for t in tokens[:j]):
        return None
    k = _past_affiliation(tokens, end)
    while k < len(tokens) and tokens[k] in ACT_LINKS:
        k += 1
    verbs = ACT_VERBS_SOMEONE if someone else ACT_VERBS
    if k < len(tokens) and tokens[k] in verbs:
        return tokens[k]
    if any(tuple(tokens[k : k + len(phrase)]) == phrase for phrase in ACT_PHRASES):
        return "take"
    return None


def _told_to(tokens: list[str], start: int) -> str | None:
    """ "explain it to a person": the telling verb before the person word at ``start``."""
    j = start - 1
    while j >= 0 and (tokens[j] in LINKING_WORDS or tokens[j] in EXPLAIN_OBJECTS):
        j -= 1
    if j >= 0 and tokens[j] in EXPLAIN_VERBS and not _negated(tokens, j):
        return tokens[j]
    return None


def _handover(tokens: list[str]) -> str | None:
    for i, phrase in _phrases_in(tokens, HANDOVER_PHRASES):
        if all(t in FILLER_WORDS for t in tokens[:i] + tokens[i + len(phrase) :]):
            return " ".join(phrase)
    return None


def _clause_request(tokens: list[str]) -> PersonRequest | None:
    if _is_identity_question(tokens):
        return None
    callback = _callback(tokens)
    if callback:
        return PersonRequest(callback, callback=True)
    for i, token in enumerate(tokens):
        if token in ESCALATE_WORDS and not _negated(tokens, i):
            return PersonRequest(token)
    handover = _handover(tokens)
    if handover:
        return PersonRequest(handover)
    for i, _ in _phrases_in(tokens, (IN_CHARGE,)):
        if "whoever" in tokens[max(0, i - 3) : i]:
            return PersonRequest("in charge")
    spans = _person_spans(tokens)
    for start, end in spans:
        name = " ".join(tokens[start:end])
        if _negated(tokens, start):
            continue
        others = tokens[:start] + tokens[end:]
        other_people = {t for s, e in spans for t in tokens[s:e]}
        if all(t in FILLER_WORDS or t in other_people for t in others):
            return PersonRequest(name)
        cue = _cue_reaches(tokens, start, someone=False) or _told_to(tokens, start)
        if cue:
            return PersonRequest(f"{cue} … {name}")
        action = _asks_to_act(tokens, start, end, someone=False)
        if action:
            return PersonRequest(f"{name} … {action}")
        after = tokens[end : end + 2]
        before = tokens[max(0, start - 3) : start]
        asks_presence = any(t in PRESENCE_WORDS for t in after) or (
            "there" in before and "is" in before
        )
        if asks_presence and not _asks_who_answers(tokens):
            return PersonRequest(name)
    for i, token in enumerate(tokens):
        if token not in SOMEONE_WORDS or _negated(tokens, i):
            continue
        if _cue_reaches(tokens, i, someone=True):
            return PersonRequest(token)
        action = _asks_to_act(tokens, i, i + 1, someone=True)
        if action:
            return PersonRequest(f"{token} … {action}")
        if _asks_who_answers(tokens):
            continue
        rest = _past_affiliation(tokens, i + 1)
        if any(t in SOMEONE_PRESENCE for t in tokens[rest : rest + 2]):
            return PersonRequest(token)
        if tokens[max(0, i - 2) : i] in (["is", "there"], ["are", "there"]):
            return PersonRequest(token)
    return None


def detect(text: str) -> PersonRequest | None:
    """The request for a person in a customer's message, or None if it does not ask for one."""
    if not isinstance(text, str):
        raise TypeError(f"detect() needs a str, got {type(text).__name__}")
    return _detect(text)


@functools.lru_cache(maxsize=DETECT_CACHE)
def _detect(text: str) -> PersonRequest | None:
    for tokens in clauses(text):
        found = _clause_request(tokens)
        if found is not None:
            return found
    return None
