"""The sentiment component scores every message with VADER into parse_data."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from assistant.sentiment import SentimentAnalyzer, score, score_of
from assistant.thresholds import ThresholdsError


def test_an_angry_message_scores_strongly_negative():
    assert score("This is the worst service ever, I am furious!")["compound"] < -0.6


def test_a_happy_message_scores_positive():
    assert score("Great, thank you so much!")["compound"] > 0.5


def test_a_command_payload_is_neutral():
    assert score("/request_human")["compound"] == 0.0


def test_the_component_puts_the_score_into_the_parsed_output():
    message = Message(data={"text": "I hate this, it is terrible"})
    SentimentAnalyzer().process([message])
    output = message.as_dict(only_output_properties=True)
    assert output["sentiment"]["compound"] < 0


def test_the_component_says_which_frustration_signals_pushed_the_score_down():
    message = Message(data={"text": "WHERE IS MY EXPRESS ORDER, IT IS A WEEK LATE"})
    SentimentAnalyzer().process([message])
    sentiment = message.as_dict(only_output_properties=True)["sentiment"]
    assert sentiment["signals"] == ["caps", "waiting"]
    assert sentiment["score"] < sentiment["compound"]


def test_the_trigger_reads_the_score_and_falls_back_to_the_compound():
    assert score_of({"compound": 0.1, "score": -0.7}) == -0.7
    assert score_of({"compound": -0.3}) == -0.3
    assert score_of({"compound": "bad"}) is None
    assert score_of(None) is None


def test_a_malformed_frustration_parameter_fails_training(tmp_path):
    with pytest.raises(ThresholdsError, match="frustration_caps_weight"):
        SentimentAnalyzer.create(
            {"frustration_caps_weight": "high"},
            LocalModelStorage(tmp_path),
            Resource("sentiment"),
            ExecutionContext(GraphSchema({}), "test"),
        )
