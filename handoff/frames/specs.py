"""The fields of every client frame, by socket, and the checks each kind of field passes."""

from __future__ import annotations

import re
from typing import Any

from handoff.frames.server import FrameError

# Field kinds: "str" (non-empty, bounded), "text" (1-2000 chars), "id" (1-100 chars),
# "bool", "int", "score" (1-5), "part" (a rated part), "intent" (an intent name: lowercase
# letters, digits, "_"), "seqs" (a list of at most 100 message numbers), "?..." means optional
# (may be absent or null).
CUSTOMER: dict[str, dict[str, str]] = {
    "hello": {
        "conversation_id": "?id",
        "resume_token": "?id",
        "last_seq": "?int",
        "customer_token": "?str",
    },
    "message": {"client_id": "id", "text": "text"},
    "button": {"client_id": "id", "title": "?str", "payload": "str"},
    "ack": {"seq": "int"},
    "typing": {"on": "bool"},
    "request_agent": {},
    "continue_with_bot": {},
    "contact": {
        "client_id": "id",
        "name": "?str",
        "email": "?str",
        "phone": "?str",
        "note": "?text",
    },
    "csat": {"score": "score", "comment": "?text", "part": "?part"},
    "ping": {},
}

AGENT: dict[str, dict[str, str]] = {
    "auth": {"token": "str"},
    "status": {"available": "bool"},
    "claim": {"conversation_id": "id"},
    # `suggestion`: the id of the suggested reply the text began as, if any (service/assist.py).
    "message": {"conversation_id": "id", "client_id": "id", "text": "text", "suggestion": "?id"},
    "typing": {"conversation_id": "id", "on": "bool"},
    "note": {"conversation_id": "id", "client_id": "id", "text": "text"},
    "draft": {"conversation_id": "id", "decision": "str", "text": "?text", "client_id": "?id"},
    "transfer": {"conversation_id": "id", "to_agent": "?id", "to_team": "?id", "note": "?text"},
    "handback": {"conversation_id": "id", "outcome": "text"},
    "close": {
        "conversation_id": "id",
        "resolution": "id",
        "intent": "?intent",
        "misunderstood": "?seqs",
    },
    "reveal": {"conversation_id": "id", "placeholder": "str"},
    "ping": {},
}


TEXT_MAX = 2000
SEQS_MAX = 100
# The parts of a conversation a customer rates (handoff/core/outcomes.py).
RATED_PARTS = ("assistant", "person")
# Rasa intent names as domain.yml spells them; a new one typed by an agent must look the same.
INTENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def check(frame: dict[str, Any], name: str, rule: str, ref: str | None) -> None:
    optional, kind = rule.startswith("?"), rule.lstrip("?")
    value = frame.get(name)
    if value is None:
        if optional:
            return
        raise FrameError("bad_field", f"field {name!r} is required", ref)
    ok = {
        "str": lambda v: isinstance(v, str) and 0 < len(v) <= 4096,
        "text": lambda v: isinstance(v, str) and len(v.strip()) > 0 and len(v) <= TEXT_MAX,
        "id": lambda v: isinstance(v, str) and 0 < len(v) <= 100,
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "score": lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5,
        "part": lambda v: v in RATED_PARTS,
        "intent": lambda v: isinstance(v, str) and INTENT_NAME.fullmatch(v) is not None,
        "seqs": lambda v: (
            isinstance(v, list)
            and len(v) <= SEQS_MAX
            and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in v)
        ),
    }[kind](value)
    if not ok:
        raise FrameError("bad_field", f"field {name!r} must be {_describe[kind]}", ref)


_describe = {
    "str": "a non-empty string",
    "text": f"a non-blank string of at most {TEXT_MAX} characters",
    "id": "a string of 1 to 100 characters",
    "bool": "true or false",
    "int": "a non-negative integer",
    "score": "an integer from 1 to 5",
    "part": '"assistant" or "person"',
    "intent": "an intent name (lowercase letters, digits and _, starting with a letter)",
    "seqs": f"a list of at most {SEQS_MAX} message numbers",
}
