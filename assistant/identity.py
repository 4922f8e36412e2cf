"""Questions about who is answering ("are you a bot?"), in the many ways customers ask them.

Pure: text in, the words that made it such a question (or None) out, so a table of cases tests
it in milliseconds. The NLU component in ``assistant/identity_detector.py`` turns a finding
into the ``bot_challenge`` intent, whose rules answer truthfully in every dialogue state (a
form asks its question again after the answer). ``contract/person_request.py`` already keeps
these questions from counting as a request for a person; this module says what they are.

A clause (the contract's clauses: canonical words, cut at punctuation and "but", "just", …),
after leading filler ("wait", "hold on", "I wonder if"), is an identity question when

- it asks whether the other side is a person or a machine: a question opening on the chat or
  on "you" ("are you", "r u", "am I talking to", "is this", "are these replies", "you're") with
  a machine or person word soon after ("a bot", "ChatGPT", "automated", "a real human", "real").
  Only small words may stand between ("just a", "talking to a", "replies written by a"), and
  the machine or person word must end the question or name what answers ("a bot or a person",
  "a virtual assistant", "a machine answering"): "is it possible to get a virtual card", "is
  this machine washable" and "are you one of the owners" ask about other things;
- it asks who is typing or reading ("is someone actually typing these", "is there a person on
  the other end", "is a human reading this");
- it asks who or what the customer is talking to ("who am I chatting with", "what are you");
- or it is only a machine word with filler ("bot?", "some kind of AI?"), and every other
  clause is an identity question too: "alexa, reorder coffee" or "hi, bot" only names the
  other side.

The classifier keeps the message when it asks for more than this: other clauses of more than
:data:`MAX_OTHER_WORDS` words ("are you a bot? where is order NW-10001") go to the intents.
"""

from __future__ import annotations

from contract.person_request import PERSON_WORDS, WHO_ANSWERS_MARKERS, clauses


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that name a machine answering.
MACHINE_WORDS = _word_set(
    "bot bots robot robots ai a.i machine computer automated automatic auto chatbot chatgpt "
    "gpt openai llm program programme software script algorithm virtual artificial "
    "recording autoreply autoresponder siri alexa"
)
# Person words that, after "are you" / "am I talking to", ask what the other side is.
HUMAN_WORDS = frozenset({"person", "human", *PERSON_WORDS})
# Said of the other side, these ask whether it is a person ("are you real?").
REAL_WORDS = frozenset({"real", "actual", "live", "alive"})
# What "is/are … " may be about for the question to concern this chat.
# ("is there a person" asks for one to come: contract/person_request.py.)
CHAT_SUBJECTS = frozenset({"this", "it", "that", "you", "u", "ya", "these", "those", "i"})
CHAT_NOUNS = _word_set(
    "chat chats conversation reply replies answer answers message messages response "
    "responses service support assistant thing"
)
QUESTION_VERBS = frozenset({"is", "are", "am", "r", "was", "were", "is'nt", "isn't", "aren't"})
# Leading words that do not change what the clause asks.
LEAD_FILLER = _word_set(
    "wait hold on hang hey hi hello so ok okay um uh hmm oh sorry honestly seriously quick "
    "question btw lol also and actually tell me be honest curious i wonder wondering if "
    "whether want need to know can ask may please pls out of curiosity first"
)
# Words around a lone machine word that keep the clause only that ("some kind of AI?").
LONE_FILLER = _word_set("a an some kind sort of just another real actual or what you u")
TALK_VERBS = _word_set("talking chatting speaking texting writing messaging typing")
# Where the answers come from ("on the other end", "typing these"); the contract's machine
# markers ("a bot") are left out, since "rather a person than a bot" asks for a person.
WHO_TYPES_MARKERS = tuple(m for m in WHO_ANSWERS_MARKERS if m.split()[-1] not in MACHINE_WORDS)
# How far after the opening a machine or person word still belongs to the question.
REACH = 7
# Words that may stand between the opening and the machine or person word ("are you just a",
# "am I talking to a", "are these replies written by a"); any other word means the question is
# about something else ("is it possible to get a virtual card").
GAP_WORDS = (
    _word_set(
        "a an the some kind sort type of like just really actually truly even still not no maybe "
        "perhaps possibly literally only also or and ever always me right now currently rn those "
        "these northwind to with by from written answered typed run powered operated done sent "
        "handled managed controlled generated made being replying answering responding"
    )
    | TALK_VERBS
    | REAL_WORDS
    | CHAT_NOUNS
)
# Words that may follow a machine or person word for it to name what answers: the end of the
# question, "or", what answers ("a virtual assistant", "a human agent"), answering, a tag.
FOLLOW_WORDS = (
    _word_set(
        "or one being intelligence system voice generated written here there now right then "
        "too lol either aren't arent isn't isnt are is am you u that who which on at behind "
        "answering replying responding typing writing reading doing pretending yes no really "
        "actually thing rn tho though huh ok okay please pls honestly"
    )
    | TALK_VERBS
    | CHAT_NOUNS
    | MACHINE_WORDS
    | HUMAN_WORDS
)
# Words after "what are you" that keep it a question about what the other side is.
WHAT_ARE_YOU_TAIL = _word_set("exactly really actually then even anyway though tho now lol")
# Words other clauses may hold before the message is more than an identity question.
MAX_OTHER_WORDS = 4


def _strip_lead(tokens: list[str]) -> list[str]:
    i = 0
    while i < len(tokens) and tokens[i] in LEAD_FILLER:
        i += 1
    return tokens[i:]


def _about_the_chat(tokens: list[str]) -> int | None:
    """Where the words after a question opening on this chat start, or None."""
    if len(tokens) >= 2 and tokens[0] in QUESTION_VERBS:
        if tokens[1] in CHAT_SUBJECTS:
            return 2
        if len(tokens) >= 3 and tokens[1] in ("the", "your", "ur") and tokens[2] in CHAT_NOUNS:
            return 3
    if tokens[:1] in (["you're"], ["youre"], ["ur"]):
        return 1
    if len(tokens) >= 2 and tokens[0] in ("you", "u") and tokens[1] in ("are", "a", "an"):
        return 2 if tokens[1] == "are" else 1
    # "u human?", "you real?": only the two words.
    if len(tokens) == 2 and tokens[0] in ("you", "u"):
        return 1
    return None


def _names_what_answers(word: str, after: str | None, on_you: bool) -> bool:
    """Whether ``word`` (followed by ``after``) says the other side is a machine or a person."""
    if word in MACHINE_WORDS or word in ("human", "person") or (on_you and word in HUMAN_WORDS):
        return after is None or after in FOLLOW_WORDS
    if word in REAL_WORDS:
        return after is None or after in HUMAN_WORDS or after in ("or", "one")
    return False


def _in_gap(tokens: list[str], i: int) -> bool:
    """Whether the word at ``i`` may stand between the opening and what answers."""
    if tokens[i] == "one":  # "one of those bots", not "one of the owners"
        return tokens[i + 1 : i + 3] in (["of", "those"], ["of", "these"])
    # An adverb ("are you honestly a bot", "is this seriously automated") changes nothing.
    return tokens[i] in GAP_WORDS or (tokens[i].endswith("ly") and len(tokens[i]) > 4)


def _asks_what_answers(tokens: list[str]) -> str | None:
    start = _about_the_chat(tokens)
    if start is None:
        return None
    on_you = tokens[start - 1] in ("you", "u", "ya", "i", "you're", "youre", "ur")
    for i in range(start, min(len(tokens), start + REACH)):
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if _names_what_answers(tokens[i], after, on_you):
            return " ".join(tokens[: i + 1])
        if not _in_gap(tokens, i):
            return None
    return None


def _asks_who_types(tokens: list[str]) -> str | None:
    joined = f" {' '.join(tokens)} "
    people = HUMAN_WORDS | {"someone", "somebody", "anyone", "anybody", "one"}
    if not any(word in people or word in MACHINE_WORDS for word in tokens):
        return None
    return next((m for m in WHO_TYPES_MARKERS if f" {m} " in joined), None)


def _asks_who_or_what(tokens: list[str]) -> str | None:
    if tokens[:1] not in (["who"], ["what"], ["who's"], ["whos"], ["what's"]):
        return None
    rest = tokens[1:]
    if rest[:2] in (["am", "i"], ["are", "we"]) and any(w in TALK_VERBS for w in rest[2:4]):
        return " ".join(tokens[:4])
    if rest in (["are", "you"], ["r", "u"], ["is", "this"], ["this"], ["is", "there"], ["am", "i"]):
        return " ".join(tokens)
    if rest[:1] and rest[0] in TALK_VERBS:
        return " ".join(tokens[:2])
    if rest[:1] in (["is"], ["s"]) and any(w in TALK_VERBS for w in rest[1:3]):
        return " ".join(tokens[:3])
    if tokens[0] == "what" and rest[:2] == ["are", "you"] and set(rest[2:]) <= WHAT_ARE_YOU_TAIL:
        return " ".join(tokens)
    return None


def _lone_machine_word(tokens: list[str]) -> str | None:
    machines = [w for w in tokens if w in MACHINE_WORDS]
    if machines and all(w in MACHINE_WORDS or w in LONE_FILLER for w in tokens):
        return machines[0]
    return None


def _clause_finding(tokens: list[str]) -> tuple[str, bool] | None:
    """The words that make one clause an identity question, and whether they are only a
    machine word (which asks only when the rest of the message asks too). A bare opening
    ("are you") finds nothing itself but lets such a machine word ask."""
    tokens = _strip_lead(tokens)
    if not tokens:
        return None
    if _about_the_chat(tokens) == len(tokens):  # "are you" before a cut: "are you just a bot"
        return "", False
    asked = _asks_what_answers(tokens) or _asks_who_types(tokens) or _asks_who_or_what(tokens)
    if asked:
        return asked, False
    lone = _lone_machine_word(tokens)
    return (lone, True) if lone else None


def clause_question(tokens: list[str]) -> str | None:
    """The words that make one clause (canonical words) an identity question, or None."""
    finding = _clause_finding(tokens)
    return finding[0] if finding else None


def identity_question(text: str) -> str | None:
    """The identity question a customer's message asks, or None if it is not (only) one."""
    if not isinstance(text, str):
        raise TypeError(f"identity_question() needs a str, got {type(text).__name__}")
    found = None
    other_words = 0
    only_lone = True
    for tokens in clauses(text):
        finding = _clause_finding(tokens)
        if finding is None:
            other_words += len(tokens)
            continue
        found = found or finding[0]
        only_lone = only_lone and finding[1]
    if found is None or other_words > MAX_OTHER_WORDS:
        return None
    # A machine word beside other words names the other side ("hi, bot"; "alexa, reorder").
    if only_lone and other_words:
        return None
    return found
