"""The shared detector of requests for a person, on a table of wordings (runs on 3.10 and 3.11)."""

from __future__ import annotations

import pytest

from contract import person_request
from contract.person_request import canonical, detect

REQUESTS = [
    "let me speak to your manager",
    "HUMAN!!!",
    "human",
    "Agent please",
    "real person please",
    "stop. real person please",
    "no, just get me a representative",
    "I want to talk to a human",
    "i wanna talk to a real person",
    "can i speak with one of your agents",
    "transfer me to a live agent",
    "put me through to customer service",
    "connect me with customer support please",
    "OPERATOR",
    "supervisor now",
    "I need a human, this bot is useless",
    "get me a manager right now",
    "talk to someone",
    "can I talk to somebody from billing",
    "is there a human I can talk to?",
    "any agents available?",
    "is anyone there?",
    "i need to speak to a member of staff",
    "Can I have an agent",
    "I'd like to speak to a representative, please.",
    "please escalate this",
    "I don't want a bot I want a human",
    "not a bot, a human",
    "i want to speak to a real human being",
    "speak to a rep",
    "gimme a human",
    "can i talk to a person or are you a bot?",
    "Are you a bot? I want a person",
    "why can't I talk to a human??",
    "I'd prefer to chat with a person",
    "let me talk to your boss",
    "transfer me",
    "can you transfer me please",
    "pls just put me through",
    "could I be transferred?",
    "pass me on to someone",
    "connect me now",
    "is anybody from your team around to help me out?",
    "is anyone at the shop available",
    "let me talk to your team",
    "Could I have a word with whoever is in charge there?",
    "can I have a word with someone",
    "speak to someone in charge",
    "Is somebody from the support desk free to look at my problem?",
    "actually can a staff member sort this out",
    "could an agent look into this for me",
    "can a real person handle this please",
    "would a manager be able to help",
    "I need a human to check it",
    "can someone sort this out",
    "could somebody from your team take a look",
    "I'd rather explain it to a person than type it all out to a bot",
    "let me describe the problem to your manager",
]
TYPOS = [
    "i want to speak to a represenative",
    "get me a humna",
    "talk to an agnet",
    "custmer servce please",
    "HUUUMAN",
    "let me speak to a supervisr",
    "i want a mananger",
    "operater pls",
    "speek to a person",
    "i need to spek to sum1 in customer care",
    "can i tlk to any1",
    "get me a hmn",
    "talk 2 an agnet plz",
]
CALLBACKS = [
    "can someone call me back",
    "call me back please",
    "please ring me",
    "could you give me a call",
    "I'd like a callback",
    "can I phone you? what's your number",
    "have someone get back to me",
]
NOT_REQUESTS = [
    "I don't need a person, just tell me the status",
    "no need for a human, where is my order",
    "I do not want to talk to an agent",
    "are you a real person?",
    "am I talking to a human?",
    "Is this a bot?",
    "are you human",
    "out of interest, is anybody on the other side of this chat?",
    "is there a real person writing these answers or a bot",
    "someone used my card without my permission",
    "I need someone to sign for the package",
    "I want to send a gift to someone",
    "where is my order",
    "the delivery agent left it outside",
    "your agent was rude to me last week",
    "I spoke to an agent yesterday and they said I'd get a refund",
    "please update my personal details",
    "I can't manage to log in",
    "where is my stuff",
    "can I change the address to my mother's",
    "track order 1042",
    "I want a refund",
    "the courier never called me",
    "thanks, that's all",
    "",
    "!!!",
    "don't transfer me, I'll wait",
    "can I transfer my order to a new address",
    "transfer me the money back",
    "can you connect me to the wifi at the store",
    "I was transferred twice already and nobody helped",
    "put me down for the newsletter",
    "I am in charge of ordering for my office",
    "the person in charge of deliveries was rude",
    "someone from your team called me yesterday",
    "your team sent the wrong colour",
    "I want to check with my team first",
    "I already spoke with your team",
    "in a word, terrible",
    "our team needs 20 chairs",
    "can anyone help me track my order",
    "can someone else collect my parcel",
    "I want someone to deliver it on saturday",
    "the agent could not help me",
    "I do not need a person to look at it",
    "will a person look at my return when it arrives",
    "can a person return an item without a receipt",
    "my manager can help with the invoice",
    "I told your agent already",
    "can you explain it to me",
]


@pytest.mark.parametrize("text", REQUESTS + TYPOS)
def test_a_request_for_a_person_is_recognised(text: str) -> None:
    found = detect(text)
    assert found is not None, text
    assert not found.callback


@pytest.mark.parametrize("text", CALLBACKS)
def test_a_request_to_be_called_back_is_a_request_with_callback(text: str) -> None:
    found = detect(text)
    assert found is not None and found.callback, text


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_negations_identity_questions_and_other_people_are_not_requests(text: str) -> None:
    assert detect(text) is None, text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Agents", "agent"),
        ("represenative", "representative"),
        ("humna", "human"),
        ("HUUUUMAN", "human"),
        ("manager's", "manager"),
        ("personal", "personal"),
        ("manage", "manage"),
        ("wait", "wait"),
        ("people", "person"),
        ("sum1", "someone"),
        ("spek", "speak"),
        ("2", "to"),
    ],
)
def test_canonical_maps_forms_and_typos_but_keeps_real_words(word: str, expected: str) -> None:
    assert canonical(word) == expected


def test_detect_refuses_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        detect(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Is there anyone I can speak to",
        "contact support",
        "can I talk to support",
        "i want the ceo",
    ],
)
def test_someone_support_and_the_top_of_the_company_count_after_a_cue(text: str) -> None:
    assert detect(text) is not None, text


def _closest_of_all(word: str) -> str:
    """canonical()'s typo rule over every vocabulary word, none skipped by length."""
    limit = 1 if len(word) < 8 else 2
    best, best_distance = word, limit + 1
    for target, canon in person_request._FUZZY_TARGETS.items():
        distance = person_request._distance(word, target, limit)
        if distance < best_distance:
            best, best_distance = canon, distance
    return best


def _typos(word: str) -> list[str]:
    """Every one-letter deletion, swap and doubling of a word, and two of them together."""
    once = {word[:i] + word[i + 1 :] for i in range(len(word))}
    once |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    once |= {word[:i] + word[i] + word[i:] for i in range(len(word))}
    twice = {t[:i] + t[i + 1 :] for t in once for i in range(len(t))}
    return sorted(t for t in once | twice if len(t) >= 5 and t.isalpha())


def test_canonical_compares_a_word_only_with_the_targets_its_length_can_reach() -> None:
    words = sorted({typo for target in person_request._FUZZY_TARGETS for typo in _typos(target)})
    words = [w for w in words if w not in person_request._FORMS]
    words = [w for w in words if w not in person_request._FUZZY_TARGETS]
    words = [w for w in words if w not in person_request.NOT_TYPOS]
    # Runs of three equal letters are shortened before the typo rule; leave those out here.
    words = [w for w in words if not person_request.LONG_RUN.search(w)]
    assert len(words) > 1000
    for word in words:
        assert canonical(word) == _closest_of_all(word), word


def test_the_policy_reading_a_message_again_gets_the_detectors_answer_without_reparsing() -> None:
    text = "could a represenative of your customer servce ring me back tomorrow"
    first = detect(text)
    hits = person_request._detect.cache_info().hits
    assert detect(text) is first
    assert person_request._detect.cache_info().hits == hits + 1
