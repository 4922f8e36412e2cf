"""Store tables of outcomes: each conversation's `Outcome`, and the assistant's turn facts."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from handoff.core.outcomes import Outcome

FIELDS = [f.name for f in dataclasses.fields(Outcome)]
BOOLEANS = {"final", "recontacted"}


def _outcome(row: dict[str, Any]) -> Outcome:
    values = {k: row[k] for k in FIELDS}
    for name in BOOLEANS:
        values[name] = bool(values[name])
    return Outcome(**values)


class OutcomesMixin:
    driver: Any

    async def save_outcome(self, outcome: Outcome) -> None:
        """Insert or replace the conversation's outcome."""
        values = dataclasses.asdict(outcome)
        for name in BOOLEANS:
            values[name] = int(values[name])
        columns = ", ".join(FIELDS)
        marks = ", ".join("?" for _ in FIELDS)
        updates = ", ".join(f"{k} = excluded.{k}" for k in FIELDS if k != "conversation_id")
        async with self.driver.transaction() as tx:
            await tx.execute(
                f"INSERT INTO outcomes ({columns}) VALUES ({marks})"
                f" ON CONFLICT (conversation_id) DO UPDATE SET {updates}",
                *[values[k] for k in FIELDS],
            )

    async def get_outcome(self, conversation_id: str) -> Outcome | None:
        async with self.driver.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM outcomes WHERE conversation_id = ?", conversation_id
            )
        return _outcome(row) if row is not None else None

    async def list_outcomes(
        self, since: float | None = None, until: float | None = None, team: str | None = None
    ) -> list[Outcome]:
        """Outcomes of the conversations started in [since, until), of one team if given."""
        where: list[str] = ["1 = 1"]
        args: list[Any] = []
        if since is not None:
            where.append("started_at >= ?")
            args.append(since)
        if until is not None:
            where.append("started_at < ?")
            args.append(until)
        if team is not None:
            where.append("team = ?")
            args.append(team)
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT * FROM outcomes WHERE " + " AND ".join(where) + " ORDER BY started_at",
                *args,
            )
        return [_outcome(row) for row in rows]

    async def add_turn(
        self,
        conversation_id: str,
        seq: int,
        turn: dict[str, Any],
        now: float,
    ) -> None:
        """Keep what the assistant made of customer message ``seq`` (kept once: a message
        relayed again after a restart does not change it)."""
        async with self.driver.transaction() as tx:
            await tx.execute(
                "INSERT INTO turns (conversation_id, seq, intent, confidence, goal, topic,"
                " order_ref, email_hash, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (conversation_id, seq) DO NOTHING",
                conversation_id,
                seq,
                turn.get("intent"),
                turn.get("confidence"),
                turn["goal"],
                turn.get("topic"),
                turn.get("order_ref"),
                turn.get("email_hash"),
                now,
            )

    async def turns(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            return await tx.fetchall(
                "SELECT * FROM turns WHERE conversation_id = ? ORDER BY seq", conversation_id
            )

    async def handoff_rows(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every handoff of the conversation, oldest first: customer_id, created_at and the
        stored context as ``body``."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT customer_id, body, created_at FROM handoffs WHERE conversation_id = ?"
                " ORDER BY created_at, handoff_id",
                conversation_id,
            )
        return [{**row, "body": json.loads(row["body"])} for row in rows]

    async def contacts_of(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            return await tx.fetchall(
                "SELECT email, phone, created_at FROM contacts WHERE conversation_id = ?"
                " ORDER BY created_at",
                conversation_id,
            )

    async def unsettled_outcomes(self) -> list[Outcome]:
        """Outcomes not final yet, oldest first: the sweep settles those whose customer left."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT * FROM outcomes WHERE final = 0 ORDER BY started_at LIMIT 1000"
            )
        return [_outcome(row) for row in rows]

    async def earlier_outcomes(
        self, outcome: Outcome, since: float, limit: int = 20
    ) -> list[Outcome]:
        """The same customer's other conversations started in [since, this one's start),
        newest first: known by the signed customer id, the email hash or the order."""
        keys = [
            (name, value)
            for name, value in (
                ("customer_id", outcome.customer_id),
                ("email_hash", outcome.email_hash),
                ("order_ref", outcome.order_ref),
            )
            if value
        ]
        if not keys:
            return []
        same = " OR ".join(f"{name} = ?" for name, _ in keys)
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                f"SELECT * FROM outcomes WHERE ({same}) AND conversation_id <> ?"
                " AND started_at >= ? AND started_at < ? ORDER BY started_at DESC LIMIT ?",
                *[value for _, value in keys],
                outcome.conversation_id,
                since,
                outcome.started_at,
                limit,
            )
        return [_outcome(row) for row in rows]
