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

# More wordings that ask who or what is answering: each must be found.
MORE_QUESTIONS = [
    "am I chatting with a machine",
    "am i texting a robot right now?",
    "is this an automated reply?",
    "is this a virtual assistant",
    "are you a virtual agent or a person",
    "is this artificial intelligence?",
    "are you artificial?",
    "r u a real person",
    "u human?",
    "are u a real human being",
    "ARE YOU EVEN REAL",
    "are you just a computer program",
    "is this chat run by a bot?",
    "is it a bot answering?",
    "is this thing automated",
    "are the replies automated",
    "hey are you a bot",
    "ok but are you a person",
    "what are you exactly?",
    "are you honestly a bot",
    "is this seriously automated?",
    "who am i talking to",
    "ai?",
    "a bot?",
]
# Messages that share words with identity questions but ask about something else: a virtual
# or automatic product or service, a person who is not the one answering, a "real" thing, a
# name, opening hours, the site, an order. None of them is an identity question.
NEAR_MISSES = [
    "is it possible to get a virtual gift card",
    "is this where I can buy a virtual voucher?",
    "can I order a virtual card here",
    "is a virtual card free",
    "is it possible to set up automatic payments",
    "is this automatic renewal on by default",
    "is the auto refill still on",
    "is it possible for a person in Canada to order",
    "is it ok for someone else to collect my parcel",
    "is it safe for kids to use the robot mower",
    "are you able to ship to a person at another address",
    "are you one of the owners of the shop",
    "are you a shop that sells printers",
    "are you a small business",
    "is this the real northwind site",
    "is this a real discount or a trick",
    "is this sale real?",
    "is the leather real",
    "are you open right now",
    "are you open on bank holidays",
    "what are you selling this week",
    "what are you doing with my data",
    "what are your opening hours",
    "what is your name",
    "computer, track my order",
    "siri, order more coffee",
    "hi, bot",
    "thanks, robot, that was helpful",
    "bot, cancel my order",
    "is this machine washable",
    "is the machine still under warranty",
    "is it a computer desk or a dining table",
    "are these robots rechargeable",
    "i want to order a robot kit",
    "is my order with a real courier",
    "is it usually a virtual card they send",
    "are you normally open on sundays",
]


@pytest.mark.parametrize("text", MORE_QUESTIONS)
def test_more_wordings_of_who_is_answering_are_found(text):
    assert identity_question(text), text


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_messages_about_other_things_with_the_same_words_are_not_identity_questions(text):
    assert identity_question(text) is None, text


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
