"""The store: conversations, numbered messages, ownership audit and handoffs.

Ownership changes are compare-and-set on the previous owner, so two service instances
sharing one PostgreSQL can never both hand the same conversation to an agent.
"""

from __future__ import annotations

import json
from typing import Any

from handoff.core import Conversation, OwnerChanged
from handoff.store.accounts import AccountsMixin
from handoff.store.drivers import PostgresDriver, SqliteDriver
from handoff.store.errors import Conflict, StoreError
from handoff.store.handoffs import HandoffsMixin
from handoff.store.insights import InsightsMixin
from handoff.store.labels import LabelsMixin
from handoff.store.messages import MessagesMixin
from handoff.store.migrations import migrate
from handoff.store.outcomes import OutcomesMixin


def open_store(url: str) -> Store:
    if url.startswith("sqlite:///"):
        return Store(SqliteDriver(url.removeprefix("sqlite:///") or ":memory:"))
    if url.startswith(("postgresql://", "postgres://")):
        return Store(PostgresDriver(url))
    raise StoreError(f"unsupported database url {url!r}")


class Store(MessagesMixin, HandoffsMixin, AccountsMixin, LabelsMixin, OutcomesMixin, InsightsMixin):
    def __init__(self, driver: SqliteDriver | PostgresDriver) -> None:
        self.driver = driver
        self.dialect = driver.dialect

    async def open(self) -> None:
        await self.driver.open()
        await migrate(self.driver)

    async def close(self) -> None:
        await self.driver.close()

    async def try_lead(self) -> bool:
        """True if this process is now the one active service on this database."""
        return await self.driver.try_lead()

    async def still_leading(self) -> bool:
        """False if this process lost the database's lock and must stop serving."""
        return await self.driver.still_leading()

    async def ping(self) -> bool:
        async with self.driver.transaction() as tx:
            return await tx.fetchone("SELECT 1 AS ok") is not None

    # -- conversations -------------------------------------------------------------

    async def create_conversation(
        self, conversation_id: str, resume_token: str, customer_token: str | None, now: float
    ) -> bool:
        async with self.driver.transaction() as tx:
            inserted = await tx.execute(
                "INSERT INTO conversations (id, resume_token, customer_token, owner, created_at,"
                " updated_at)"
                " VALUES (?, ?, ?, 'bot', ?, ?) ON CONFLICT (id) DO NOTHING",
                conversation_id,
                resume_token,
                customer_token,
                now,
                now,
            )
        return inserted == 1

    async def get_conversation(self, conversation_id: str) -> dict[str, Any] | None:
        async with self.driver.transaction() as tx:
            return await tx.fetchone("SELECT * FROM conversations WHERE id = ?", conversation_id)

    async def update_conversation(self, conversation_id: str, **fields: Any) -> None:
        allowed = {"customer_token", "context", "last_buttons", "csat_pending", "priority"}
        assert set(fields) <= allowed, fields
        columns = ", ".join(f"{name} = ?" for name in fields)
        values = [
            json.dumps(v) if name in ("context", "last_buttons") else v
            for name, v in fields.items()
        ]
        async with self.driver.transaction() as tx:
            await tx.execute(
                f"UPDATE conversations SET {columns} WHERE id = ?", *values, conversation_id
            )

    async def active_conversations(self) -> list[Conversation]:
        """Conversations the queue or an agent owns, for rebuilding the desk after a restart."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT * FROM conversations WHERE owner IN ('queue', 'agent')"
            )
        return [
            Conversation(
                r["id"],
                r["owner"],
                r["agent_id"],
                r["priority"],
                r["team"],
                r["queue_rank"] or 0.0,
                r["queued_at"],
            )
            for r in rows
        ]

    async def change_owner(self, event: OwnerChanged, conv: Conversation) -> None:
        """Persist one transition and its audit row, atomically, if nobody moved first."""
        async with self.driver.transaction() as tx:
            changed = await tx.execute(
                "UPDATE conversations SET owner = ?, agent_id = ?, priority = ?, team = ?,"
                " queue_rank = ?, queued_at = ?, version = version + 1, updated_at = ?"
                " WHERE id = ? AND owner = ? AND agent_id IS NOT DISTINCT FROM ?",
                event.new_owner,
                event.new_agent,
                conv.priority,
                conv.team,
                conv.rank,
                conv.queued_at,
                event.at,
                event.conversation_id,
                event.old_owner,
                event.old_agent,
            )
            if changed != 1:
                raise Conflict(f"{event.conversation_id} is no longer owned by {event.old_owner}")
            await tx.execute(
                "INSERT INTO transitions (conversation_id, from_owner, to_owner, from_agent,"
                " to_agent,"
                " reason, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                event.conversation_id,
                event.old_owner,
                event.new_owner,
                event.old_agent,
                event.new_agent,
                event.reason,
                event.at,
            )

    async def transitions(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            return await tx.fetchall(
                "SELECT * FROM transitions WHERE conversation_id = ? ORDER BY id", conversation_id
            )

    async def claim_next(self, agent_id: str, teams: list[str], now: float) -> str | None:
        """Take the best waiting conversation for these teams straight from the database.

        On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several instances claim concurrently
        without blocking each other or ever returning the same conversation twice.
        """
        lock = " FOR UPDATE SKIP LOCKED" if self.dialect == "postgresql" else ""
        marks = ", ".join("?" * len(teams))
        team_filter = "" if "*" in teams else f" AND (team IS NULL OR team IN ({marks}))"
        args = [] if "*" in teams else list(teams)
        async with self.driver.transaction() as tx:
            row = await tx.fetchone(
                "SELECT id FROM conversations WHERE owner = 'queue'"
                + team_filter
                + " ORDER BY priority, queue_rank, id LIMIT 1"
                + lock,
                *args,
            )
            if row is None:
                return None
            await tx.execute(
                "UPDATE conversations SET owner = 'agent', agent_id = ?, version = version + 1,"
                " updated_at = ? WHERE id = ?",
                agent_id,
                now,
                row["id"],
            )
            await tx.execute(
                "INSERT INTO transitions (conversation_id, from_owner, to_owner, from_agent,"
                " to_agent,"
                " reason, changed_at) VALUES (?, 'queue', 'agent', NULL, ?, 'claimed', ?)",
                row["id"],
                agent_id,
                now,
            )
            return str(row["id"])
