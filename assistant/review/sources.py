"""Read review items from the two databases, and keep the designers' decisions.

Rasa's tracker store (its ``events`` table) holds what the assistant did not understand; the
handoff store holds the agents' labels (``nlu_labels``), the messages they point at, the
agents' replies and the decisions (``review_decisions``). Both are read with SQLAlchemy, so
SQLite files and PostgreSQL URLs work alike.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.review.items import Item, from_labels, from_tracker

DECISIONS = ("accept", "relabel", "reject")


class SourceError(Exception):
    """A database is missing, or lacks the tables of this release."""


def engine(url_or_path: str) -> sa.engine.Engine:
    url = url_or_path if "://" in url_or_path else f"sqlite:///{url_or_path}"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise SourceError(f"no database at {url_or_path} (run the product first)")
    return sa.create_engine(url)


def _rows(db: sa.engine.Engine, sql: str, **params: Any) -> list[Any]:
    try:
        with db.connect() as connection:
            return list(connection.execute(sa.text(sql), params).all())
    except sa.exc.OperationalError as error:
        raise SourceError(
            f"{db.url}: {error.orig} (start the handoff service once to create its tables)"
        ) from error


def not_understood(tracker: sa.engine.Engine) -> list[Item]:
    rows = _rows(
        tracker,
        "SELECT id, sender_id, data FROM events WHERE type_name = 'user'"
        " AND intent_name = 'nlu_fallback' ORDER BY id",
    )
    return from_tracker((row_id, sender, json.loads(data)) for row_id, sender, data in rows)


def labels(store: sa.engine.Engine) -> list[dict[str, Any]]:
    rows = _rows(
        store,
        "SELECT conversation_id, intent, misunderstood, created_at FROM nlu_labels"
        " ORDER BY created_at",
    )
    return [
        {"conversation_id": c, "intent": i, "misunderstood": json.loads(m), "created_at": t}
        for c, i, m, t in rows
    ]


def _messages(store: sa.engine.Engine, sender: str) -> list[tuple[str, int, str]]:
    rows = _rows(
        store,
        "SELECT m.conversation_id, m.seq, m.body FROM messages m WHERE m.kind = 'message'"
        " AND m.sender = :sender AND m.conversation_id IN"
        " (SELECT conversation_id FROM nlu_labels) ORDER BY m.conversation_id, m.seq",
        sender=sender,
    )
    out = []
    for cid, seq, body in rows:
        text = json.loads(body).get("text")
        if isinstance(text, str):
            out.append((cid, int(seq), text))
    return out


def labelled(store: sa.engine.Engine) -> list[Item]:
    texts = {(cid, seq): text for cid, seq, text in _messages(store, "customer")}
    return from_labels(labels(store), texts)


def agent_replies(store: sa.engine.Engine) -> list[tuple[str, str]]:
    return [(cid, text) for cid, _, text in _messages(store, "agent")]


def decisions(store: sa.engine.Engine) -> dict[str, dict[str, Any]]:
    rows = _rows(
        store,
        "SELECT item_id, decision, intent, text, decided_at FROM review_decisions"
        " ORDER BY decided_at, item_id",
    )
    return {
        item_id: {"decision": d, "intent": i, "text": t, "decided_at": at}
        for item_id, d, i, t, at in rows
    }


def record(store: sa.engine.Engine, decided: Iterable[tuple[Item, str, str | None]]) -> int:
    """Keep each (item, decision, intent); a later decision on an item replaces the earlier."""
    count = 0
    now = time.time()
    with store.begin() as connection:
        for item, decision, intent in decided:
            if decision not in DECISIONS:
                raise ValueError(f"unknown decision {decision!r}")
            connection.execute(
                sa.text("DELETE FROM review_decisions WHERE item_id = :item"),
                {"item": item.item_id},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO review_decisions (item_id, decision, intent, text, decided_at)"
                    " VALUES (:item, :decision, :intent, :text, :at)"
                ),
                {
                    "item": item.item_id,
                    "decision": decision,
                    "intent": intent,
                    "text": item.text,
                    "at": now + count * 1e-6,  # keeps the order of one session's decisions
                },
            )
            count += 1
    return count


def accepted(decided: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(intent, text) of every accepted or relabelled item, oldest decision first."""
    return [
        (row["intent"], row["text"])
        for row in decided.values()
        if row["decision"] in ("accept", "relabel") and row["intent"]
    ]
