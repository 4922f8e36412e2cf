"""The assist endpoint's request checks (assistant/assist_channel.py); the endpoint itself runs
in tests/handoff/service/test_assist_live.py against the real Rasa server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.assist_channel import AssistChannel, AssistError, parse_body

ROOT = Path(__file__).resolve().parents[2]


def test_a_good_body_gives_the_conversation_text_and_past_pairs() -> None:
    body = {"conversation_id": "c1", "text": "hi", "past": [{"customer": "a", "reply": "b"}]}
    assert parse_body(body) == ("c1", "hi", [("a", "b")])
    assert parse_body({"conversation_id": "c1", "text": "hi"}) == ("c1", "hi", [])


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ([], "JSON object"),
        ({"text": "hi"}, "conversation_id"),
        ({"conversation_id": "c" * 101, "text": "hi"}, "conversation_id"),
        ({"conversation_id": "c1", "text": "   "}, "text"),
        ({"conversation_id": "c1", "text": "x" * 2001}, "text"),
        ({"conversation_id": "c1", "text": "hi", "past": {}}, "past"),
        ({"conversation_id": "c1", "text": "hi", "past": [{}] * 51}, "past"),
        (
            {"conversation_id": "c1", "text": "hi", "past": [{"customer": "a"}]},
            "customer and reply",
        ),
        ({"conversation_id": "c1", "text": "hi", "past": ["a"]}, "customer and reply"),
    ],
)
def test_a_bad_body_is_refused_saying_what_is_wrong(body: Any, complaint: str) -> None:
    with pytest.raises(AssistError, match=complaint):
        parse_body(body)


def test_a_short_token_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        AssistChannel("short", ROOT / "config.yml")
