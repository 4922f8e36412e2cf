"""The assistant's Rasa entry point validates action answers as Rasa does, only faster."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from assistant import server

VALID = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "order_id", "value": "NW-10007"}],
        "responses": [
            {"text": "It is on its way.", "buttons": [{"title": "ok", "payload": "/ok"}]}
        ],
    },
    {"events": [{"event": "action", "name": "action_listen"}]},
]
INVALID = [
    {"events": [{"name": "no event key"}]},
    {"events": "not a list"},
    {"events": [{"event": "slot", "name": "x", "timestamp": "yesterday"}]},
]


def rasa_error(result: dict) -> str:
    """The message Rasa's own method raises for ``result``."""
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))
    with pytest.raises(ValidationError) as raised:
        RemoteAction._validate_action_result(action, result)
    return raised.value.message


@pytest.fixture(scope="module")
def expected_errors() -> list[str]:
    assert not server._installed, "collect these before install()"
    return [rasa_error(result) for result in INVALID]


@pytest.fixture(scope="module")
def rasa_event_classes() -> dict[str, type[Event]]:
    """The class Rasa's own lookup gives for every event type name."""
    assert not server._installed, "collect these before install()"
    names = {cls.type_name for cls in all_subclasses(Event)}
    return {name: Event.resolve_by_type(name) for name in names}


@pytest.fixture
def installed(monkeypatch, expected_errors, rasa_event_classes):
    """install() for one test, after Rasa's own answers are collected; undone afterwards, so
    other tests see Rasa unchanged."""
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
    monkeypatch.setattr(server, "_installed", False)
    server.install()
    server.install()  # a second call changes nothing


@pytest.mark.usefixtures("installed")
def test_valid_answers_pass_and_invalid_ones_raise_rasa_s_own_error(expected_errors):
    """After install(), every answer gets the same verdict and the same error text as before."""
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))
    for result in VALID:
        assert action._validate_action_result(result) is True
    for result, message in zip(INVALID, expected_errors, strict=True):
        with pytest.raises(ValidationError) as raised:
            action._validate_action_result(result)
        assert raised.value.message == message
        assert "Failed to validate Action server response" in message


@pytest.mark.usefixtures("installed")
def test_every_event_type_resolves_to_the_class_rasa_finds(rasa_event_classes):
    """The cached lookup answers as Rasa's walk over the subclasses, twice in a row."""
    for _ in range(2):
        resolved = {name: Event.resolve_by_type(name) for name in rasa_event_classes}
        assert resolved == rasa_event_classes
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    restored = Event.from_parameters({"event": "action", "name": "action_listen"})
    assert restored == ActionExecuted("action_listen")
