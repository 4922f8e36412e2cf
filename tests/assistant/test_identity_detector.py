"""The identity question component turns such questions into bot_challenge, and only those."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.identity_detector import IDENTITY_QUESTION, IdentityQuestionClassifier
from assistant.person_detector import PERSON_REQUEST


def _parsed(text, intent="nlu_fallback", person_request=None):
    ranking = [
        {"name": "request_human", "confidence": 0.4},
        {"name": "bot_challenge", "confidence": 0.1},
    ]
    message = Message(
        data={
            TEXT: text,
            INTENT: {"name": intent, "confidence": 0.4},
            INTENT_RANKING_KEY: ranking,
            PERSON_REQUEST: person_request,
        }
    )
    [out] = IdentityQuestionClassifier().process([message])
    return out


def test_a_not_understood_identity_question_becomes_bot_challenge_first_in_the_ranking():
    message = _parsed("Just curious, is there a person on the other end?")
    assert message.get(INTENT) == {"name": "bot_challenge", "confidence": 1.0}
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names == ["bot_challenge", "request_human"]
    assert message.get(IDENTITY_QUESTION) == "other end"


def test_a_message_that_asks_for_a_person_keeps_its_intent():
    message = _parsed(
        "are you a bot? get me a human", "request_human", {"matched": "human", "callback": False}
    )
    assert message.get(INTENT)["name"] == "request_human"
    assert message.get(IDENTITY_QUESTION) is None


def test_other_messages_and_button_payloads_keep_their_intent():
    for text in ("where is my order", "/bot_challenge"):
        message = _parsed(text, "track_order")
        assert message.get(INTENT)["name"] == "track_order"
        assert message.get(IDENTITY_QUESTION) is None
