"""One behaviour, two engines: the spaCy detector answers every wording as detect() does."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa")  # the spaCy engine runs in the assistant's environment only

from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from test_person_request import CALLBACKS, NOT_REQUESTS, REQUESTS, TYPOS

from assistant.person_detector import PERSON_REQUEST, PersonRequestDetector
from contract.person_request import detect

MID_FORM = [
    "no, just get me a representative",
    "stop. real person please",
    "can someone call me back",
    "I don't need a person, just tell me the status",
    "NW-10001",
    "my email is a@b.example",
    "/request_human",
]


@pytest.fixture(scope="module")
def detector():
    return PersonRequestDetector()


@pytest.mark.parametrize("text", REQUESTS + TYPOS + CALLBACKS + NOT_REQUESTS + MID_FORM)
def test_both_engines_give_the_same_answer(detector, text):
    [message] = detector.process([Message(data={TEXT: text})])
    expected = None if text.startswith("/") else detect(text)
    found = message.get(PERSON_REQUEST)
    assert found == (
        {"matched": expected.matched, "callback": expected.callback} if expected else None
    )
    assert PERSON_REQUEST in message.output_properties  # copied into parse_data
