"""The sentiment component scores every message with VADER into parse_data."""

from rasa.shared.nlu.training_data.message import Message

from assistant.sentiment import SentimentAnalyzer, score


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
