"""The assistant's REST replies as the service keeps them: bot messages, and the turn's facts.

Rasa's replies are shown and stored as bot messages (`bot_message`); the one element that
carries the assistant's facts about the turn (contract/turns.py) is taken out first
(`take_turn`), so neither the customer nor an agent ever sees it.
"""

from __future__ import annotations

from typing import Any

import structlog

from contract.turns import TurnError, parse, turn_of

log = structlog.get_logger("handoff.relay")


def take_turn(
    cid: str, replies: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """(the replies to show, the checked facts of the turn or None). A malformed turn is
    logged and dropped; with several, the last one counts."""
    shown: list[dict[str, Any]] = []
    turn: dict[str, Any] | None = None
    for reply in replies:
        raw = turn_of(reply)
        if raw is None:
            shown.append(reply)
            continue
        try:
            turn = parse(raw)
        except TurnError as exc:
            log.warning("relay.turn_refused", conversation_id=cid, error=str(exc))
    return shown, turn


def bot_message(reply: dict[str, Any]) -> dict[str, Any] | None:
    """A Rasa REST reply as a stored bot message; anything with nothing to show is dropped."""
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in reply.get("buttons") or []
        if isinstance(b, dict) and b.get("payload")
    ]
    custom = reply.get("custom")
    if reply.get("image"):
        custom = {**(custom if isinstance(custom, dict) else {}), "image": str(reply["image"])}
    text = reply.get("text")
    if not text and not buttons and custom is None:
        return None
    return {
        "author": "Northwind assistant (AI)",
        "text": str(text or ""),
        "buttons": buttons,
        "custom": custom if isinstance(custom, dict) else None,
    }


def neutralise(text: str) -> str:
    """Customer text is never a Rasa command: leading slashes are removed."""
    stripped = text.lstrip()
    while stripped.startswith("/"):
        stripped = stripped[1:].lstrip()
    return stripped
