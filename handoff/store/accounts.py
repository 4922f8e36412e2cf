"""Store tables that are not the conversation itself: agents, tokens, notes, contacts, CSAT."""

from __future__ import annotations

import json
from typing import Any


def _decoded(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """An agent row with its JSON columns (teams, languages) as lists."""
    if row is not None:
        row["teams"] = json.loads(row["teams"])
        row["languages"] = json.loads(row.get("languages") or '["en"]')
    return row


class AccountsMixin:
    driver: Any

    # -- agents and tokens -----------------------------------------------------------

    async def create_agent(
        self,
        agent_id: str,
        name: str,
        teams: list[str],
        capacity: int,
        password_hash: str,
        now: float,
        languages: list[str] | None = None,
        role: str = "agent",
    ) -> bool:
        """``languages`` are the ISO 639-1 codes the agent speaks; English when not given.
        ``role`` is ``agent`` or ``supervisor`` (handoff/service/auth.py, ROLES)."""
        async with self.driver.transaction() as tx:
            inserted = await tx.execute(
                "INSERT INTO agents (id, name, teams, capacity, password_hash, created_at,"
                " languages, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                agent_id,
                name,
                json.dumps(teams),
                capacity,
                password_hash,
                now,
                json.dumps(languages or ["en"]),
                role,
            )
        return inserted == 1

    async def get_agent(self, agent_id: str) -> dict[str, Any] | None:
        async with self.driver.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM agents WHERE id = ?", agent_id)
        return _decoded(row)

    async def list_agents(self) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id, name, teams, capacity, disabled, languages, role FROM agents"
                " ORDER BY id"
            )
        return [row for row in map(_decoded, rows) if row is not None]

    async def set_agent_disabled(self, agent_id: str, disabled: bool) -> bool:
        async with self.driver.transaction() as tx:
            changed = await tx.execute(
                "UPDATE agents SET disabled = ? WHERE id = ?", int(disabled), agent_id
            )
            if disabled:
                await tx.execute("DELETE FROM agent_tokens WHERE agent_id = ?", agent_id)
        return changed == 1

    async def save_token(self, token_hash: str, agent_id: str, expires_at: float) -> None:
        async with self.driver.transaction() as tx:
            await tx.execute(
                "INSERT INTO agent_tokens (token_hash, agent_id, expires_at) VALUES (?, ?, ?)",
                token_hash,
                agent_id,
                expires_at,
            )

    async def agent_for_token(self, token_hash: str, now: float) -> dict[str, Any] | None:
        async with self.driver.transaction() as tx:
            row = await tx.fetchone(
                "SELECT a.* FROM agent_tokens t JOIN agents a ON a.id = t.agent_id"
                " WHERE t.token_hash = ? AND t.expires_at > ? AND a.disabled = 0",
                token_hash,
                now,
            )
        return _decoded(row)

    # -- notes ---------------------------------------------------------------------------

    async def add_note(
        self, conversation_id: str, client_id: str, agent_id: str, text: str, ts: float
    ) -> bool:
        async with self.driver.transaction() as tx:
            inserted = await tx.execute(
                "INSERT INTO notes (conversation_id, client_id, agent_id, text, ts) VALUES (?,"
                " ?, ?, ?, ?)"
                " ON CONFLICT (conversation_id, client_id) DO NOTHING",
                conversation_id,
                client_id,
                agent_id,
                text,
                ts,
            )
        return inserted == 1

    async def notes(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            return await tx.fetchall(
                "SELECT agent_id, text, ts, client_id FROM notes WHERE conversation_id = ? ORDER"
                " BY ts",
                conversation_id,
            )

    # -- contacts and satisfaction ----------------------------------------------------------

    async def add_contact(
        self, conversation_id: str, client_id: str, fields: dict[str, str | None], now: float
    ) -> bool:
        async with self.driver.transaction() as tx:
            inserted = await tx.execute(
                "INSERT INTO contacts (conversation_id, client_id, name, email, phone, note,"
                " created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, client_id) DO NOTHING",
                conversation_id,
                client_id,
                fields.get("name"),
                fields.get("email"),
                fields.get("phone"),
                fields.get("note"),
                now,
            )
        return inserted == 1

    async def list_contacts(self) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            return await tx.fetchall(
                "SELECT conversation_id, name, email, phone, note, created_at FROM contacts"
                " ORDER BY created_at"
            )

    async def add_csat(
        self,
        conversation_id: str,
        score: int,
        comment: str | None,
        agent_id: str | None,
        resolution: str | None,
        turns: dict[str, int],
        now: float,
    ) -> None:
        """Store a score with the bot and agent turn counts, so both parts can be reported apart."""
        async with self.driver.transaction() as tx:
            await tx.execute(
                "INSERT INTO csat (conversation_id, score, comment, agent_id, resolution,"
                " bot_turns,"
                " agent_turns, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                conversation_id,
                score,
                comment,
                agent_id,
                resolution,
                turns.get("bot", 0),
                turns.get("agent", 0),
                now,
            )
            await tx.execute(
                "UPDATE conversations SET csat_pending = 0 WHERE id = ?", conversation_id
            )

    async def csat_scores(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        where, args = (
            (" WHERE conversation_id = ?", [conversation_id]) if conversation_id else ("", [])
        )
        async with self.driver.transaction() as tx:
            return await tx.fetchall("SELECT * FROM csat" + where + " ORDER BY created_at", *args)
