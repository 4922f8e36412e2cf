"""Store tables that are not the conversation itself: agents, tokens, notes, contacts, CSAT."""

from __future__ import annotations

import json
from typing import Any

from handoff.core.outcomes import ASSISTANT_PART, PERSON_PART

# `conversations.csat_pending` holds, as bits, which part's rating is asked and not yet given,
# and whether the assistant's part was ever asked (it is asked once per conversation).
PENDING = {PERSON_PART: 1, ASSISTANT_PART: 2}
ASSISTANT_ASKED = 4
ALL_BITS = 7


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
    ) -> bool:
        """``languages`` are the ISO 639-1 codes the agent speaks; English when not given."""
        async with self.driver.transaction() as tx:
            inserted = await tx.execute(
                "INSERT INTO agents (id, name, teams, capacity, password_hash, created_at,"
                " languages) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                agent_id,
                name,
                json.dumps(teams),
                capacity,
                password_hash,
                now,
                json.dumps(languages or ["en"]),
            )
        return inserted == 1

    async def get_agent(self, agent_id: str) -> dict[str, Any] | None:
        async with self.driver.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM agents WHERE id = ?", agent_id)
        return _decoded(row)

    async def list_agents(self) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id, name, teams, capacity, disabled, languages FROM agents ORDER BY id"
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

    async def ask_csat(self, conversation_id: str, part: str) -> bool:
        """Mark the part's rating asked; False, and nothing changed, when it is the
        assistant's part and it was asked before in this conversation."""
        if part not in PENDING:
            raise ValueError(f"unknown rating part {part!r}")
        once = ASSISTANT_ASKED if part == ASSISTANT_PART else 0
        async with self.driver.transaction() as tx:
            row = await tx.fetchone(
                "UPDATE conversations SET csat_pending = (csat_pending | ?)"
                " WHERE id = ? AND (csat_pending & ?) = 0 RETURNING id",
                PENDING[part] | once,
                conversation_id,
                once,
            )
        return row is not None

    async def csat_asked(self, conversation_id: str, part: str) -> bool:
        """The part's rating is asked and not yet given."""
        async with self.driver.transaction() as tx:
            row = await tx.fetchone(
                "SELECT csat_pending FROM conversations WHERE id = ?", conversation_id
            )
        return row is not None and bool(int(row["csat_pending"]) & PENDING.get(part, 0))

    async def add_csat(
        self,
        conversation_id: str,
        score: int,
        comment: str | None,
        agent_id: str | None,
        resolution: str | None,
        turns: dict[str, int],
        now: float,
        part: str = PERSON_PART,
    ) -> None:
        """Store a score for one part (the assistant's or the person's) with the bot and agent
        turn counts, so both parts can be reported apart; that part is no longer asked."""
        if part not in PENDING:
            raise ValueError(f"unknown rating part {part!r}")
        async with self.driver.transaction() as tx:
            await tx.execute(
                "INSERT INTO csat (conversation_id, score, comment, agent_id, resolution,"
                " bot_turns, agent_turns, created_at, part) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                conversation_id,
                score,
                comment,
                agent_id,
                resolution,
                turns.get("bot", 0),
                turns.get("agent", 0),
                now,
                part,
            )
            await tx.execute(
                "UPDATE conversations SET csat_pending = (csat_pending & ?) WHERE id = ?",
                ALL_BITS & ~PENDING[part],
                conversation_id,
            )

    async def csat_scores(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        where, args = (
            (" WHERE conversation_id = ?", [conversation_id]) if conversation_id else ("", [])
        )
        async with self.driver.transaction() as tx:
            return await tx.fetchall("SELECT * FROM csat" + where + " ORDER BY created_at", *args)
