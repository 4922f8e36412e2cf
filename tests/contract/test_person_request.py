"""The shared detector of requests for a person, on a table of wordings (runs on 3.10 and 3.11)."""

from __future__ import annotations

import pytest

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
