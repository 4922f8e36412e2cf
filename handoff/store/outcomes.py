"""Store tables of outcomes: each conversation's `Outcome`, and the assistant's turn facts."""

from __future__ import annotations

import dataclasses
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
