"""Questions about who is answering, in many wordings; and what is not one."""

from __future__ import annotations

import pytest

from assistant.identity import identity_question
from contract.person_request import detect

QUESTIONS = [
    "are you a bot?",
    "ARE YOU A ROBOT",
    "r u a bot",
    "u a robot?",
    "you're a bot aren't you",
    "I wonder if you are a robot",
    "am I talking to a real person?",
    "am i chatting with AI?",
    "am I talking to ChatGPT?",
    "Am I speaking with a live agent?",
    "are you real",
    "r u real",
    "are u human",
    "are you human or computer",
    "are you an actual person or automated",
    "are you an agent or a bot",
    "so you're not a real person?",
    "is this a human or a machine",
    "is this chat automated?",
    "is this an AI?",
    "is this a live chat or a chatbot",
    "is this a recording",
    "is it a machine answering me",
    "Are these replies written by a real human?",
    "wait are you a bot",
    "hold on, are you a real human?",
    "wait, is this automated?",
    "Just curious, is there a person on the other end?",
    "Is there a human typing these replies or is it automated?",
    "is someone actually typing these answers",
    "be honest, is a human reading this or a program",
    "who am i chatting with right now",
    "who is this",
    "who's typing",
    "what are you, some kind of AI?",
    "bot?",
]
NOT_QUESTIONS = [
    "where is my order",
    "is this a good price",
    "are you open on sundays",
    "are you sure",
    "are you able to change my address",
    "is this order shipped",
    "is that real leather",
    "do you sell robot vacuums",
    "is the robot vacuum in stock",
    "what is your return policy",
    "who made you",
    "is anyone there",
    "is there a person I can talk to",
    "talk to a person",
    "not a bot. a person.",
    "I'd rather deal with a person than a bot, thanks",
    # More than the question: the classifier decides.
    "are you a bot? where is my order NW-10001, it is late",
    "",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_who_is_answering_is_found(text):
    assert identity_question(text), text


@pytest.mark.parametrize("text", QUESTIONS)
def test_an_identity_question_is_never_a_request_for_a_person(text):
    assert detect(text) is None, text


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_other_messages_are_not_identity_questions(text):
    assert identity_question(text) is None, text


def test_the_finding_names_the_words_that_asked():
    assert identity_question("hold on, are you a real human?") == "are you a real"


def test_text_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError, match="needs a str"):
        identity_question(None)  # type: ignore[arg-type]
