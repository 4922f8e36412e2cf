"""Rasa's command line, with fixes for what Rasa 3.6 spends per message without need.

``python -m assistant.server run …`` is ``rasa run …`` after :func:`install`. Every fix keeps
Rasa's behaviour and errors; each one is measured in docs/benchmarks.md.

- **Custom-action answers are validated with a validator built once.** Rasa checks every
  answer of the action server with ``jsonschema.validate()``, which first checks Rasa's answer
  schema itself against the JSON Schema 2020-12 metaschema, on every call. That was 27 % of the
  assistant's CPU at 10 concurrent customers. The schema is checked once here; a valid answer
  passes without Rasa's call, and an invalid one goes to Rasa's own method, so the error raised
  is Rasa's, message and all.
- **Event classes are looked up once per type name.** Rasa finds the class of every stored
  event by walking all subclasses of ``Event`` (with an abstract-class check for each), for
  every event of every conversation loaded: 7 % of its CPU. The first answer for a type name
  is kept; names Rasa does not know still go to Rasa's method and fail the same way.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Applies the fixes to the running interpreter; calling it again does nothing."""
    global _installed
    if _installed:
        return
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    rasa_validate = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return rasa_validate(self, result)

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    _cache_event_classes()
    _installed = True


def _cache_event_classes() -> None:
    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    known: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        cls = known.get(type_name)
        if cls is None:
            cls = rasa_resolve(type_name, default)
            if cls is not None and cls.type_name == type_name:
                known[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
