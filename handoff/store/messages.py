"""Store tables of history: numbered messages and events, and what the assistant has seen.

`seq` is gap-free per conversation: numbering takes the conversation's row lock
(`UPDATE ... RETURNING last_seq`) in the same transaction as the insert.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from handoff.store.errors import StoreError


class MessagesMixin:
    driver: Any

    async def append(
        self,
        conversation_id: str,
        kind: str,
        sender: str,
        body: dict[str, Any],
        client_id: str | None,
        ts: float,
        staged: Callable[[int], None] | None = None,
    ) -> tuple[int, bool]:
        """Store one history item; returns (seq, duplicate). A repeated client_id is not stored
        twice. `staged(seq)` runs once the new item has its number but before its commit (the
        fsync), so work that needs the number can start while the disk is busy."""
        async with self.driver.transaction() as tx:
            if client_id is not None:
                found = await tx.fetchone(
                    "SELECT seq FROM messages WHERE conversation_id = ? AND client_id = ?",
                    conversation_id,
                    client_id,
                )
                if found is not None:
                    return int(found["seq"]), True
            # The row lock on the conversation serialises numbering across instances.
            row = await tx.fetchone(
                "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq",
                conversation_id,
            )
            if row is None:
                raise StoreError(f"unknown conversation {conversation_id}")
            seq = int(row["last_seq"])
            await tx.execute(
                "INSERT INTO messages (conversation_id, seq, kind, sender, client_id, body, ts)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                conversation_id,
                seq,
                kind,
                sender,
                client_id,
                json.dumps(body),
                ts,
            )
            if staged is not None:
                staged(seq)
            return seq, False

    async def append_replies(
        self,
        conversation_id: str,
        bodies: list[dict[str, Any]],
        ts: float,
        *,
        last_buttons: list[dict[str, str]],
        relayed_seq: int | None,
    ) -> list[int]:
        """Store the assistant's answer to one relayed input in one transaction: its messages,
        the buttons it offered and, if given, that customer input up to `relayed_seq` is dealt
        with. One commit (one fsync) per answer instead of one per reply, buttons and mark; and
        a crash can no longer leave the replies stored but the input unmarked (relayed twice).
        Returns the replies' seqs, in order."""
        async with self.driver.transaction() as tx:
            seqs: list[int] = []
            if bodies:
                # The row lock on the conversation serialises numbering across instances.
                row = await tx.fetchone(
                    "UPDATE conversations SET last_seq = last_seq + ? WHERE id = ?"
                    " RETURNING last_seq",
                    len(bodies),
                    conversation_id,
                )
                if row is None:
                    raise StoreError(f"unknown conversation {conversation_id}")
                first = int(row["last_seq"]) - len(bodies) + 1
                seqs = list(range(first, first + len(bodies)))
                for seq, body in zip(seqs, bodies, strict=True):
                    await tx.execute(
                        "INSERT INTO messages (conversation_id, seq, kind, sender, client_id,"
                        " body, ts) VALUES (?, ?, 'message', 'bot', NULL, ?, ?)",
                        conversation_id,
                        seq,
                        json.dumps(body),
                        ts,
                    )
            await tx.execute(
                "UPDATE conversations SET last_buttons = ? WHERE id = ?",
                json.dumps(last_buttons),
                conversation_id,
            )
            if relayed_seq is not None:
                await tx.execute(
                    "UPDATE conversations SET relayed_seq = ? WHERE id = ? AND relayed_seq < ?",
                    relayed_seq,
                    conversation_id,
                    relayed_seq,
                )
        return seqs

    async def mark_relayed(self, conversation_id: str, seq: int) -> None:
        """Customer input up to `seq` has been dealt with (answered by the bot, or not for it)."""
        async with self.driver.transaction() as tx:
            await tx.execute(
                "UPDATE conversations SET relayed_seq = ? WHERE id = ? AND relayed_seq < ?",
                seq,
                conversation_id,
                seq,
            )

    async def unrelayed(self, conversation_id: str) -> list[dict[str, Any]]:
        """Customer messages stored but never dealt with (the service died before the bot saw
        them)."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT m.seq, m.body FROM messages m"
                " JOIN conversations c ON c.id = m.conversation_id"
                " WHERE m.conversation_id = ? AND m.sender = 'customer' AND m.kind = 'message'"
                " AND m.seq > c.relayed_seq ORDER BY m.seq",
                conversation_id,
            )
        for row in rows:
            row["body"] = json.loads(row["body"])
        return rows

    async def history(self, conversation_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT seq, kind, sender, client_id, body, ts FROM messages"
                " WHERE conversation_id = ? AND seq > ? ORDER BY seq",
                conversation_id,
                after_seq,
            )
        for row in rows:
            row["body"] = json.loads(row["body"])
        return rows

    async def agent_replies(self, exclude_conversation: str, limit: int) -> list[dict[str, Any]]:
        """The latest agent messages of other conversations, newest first, each with the
        customer message it answered and the values redacted in its conversation (which the
        pair must not carry to another customer): {"conversation_id", "customer", "reply",
        "redacted"}."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT a.conversation_id, a.body AS reply, (SELECT c.body FROM messages c"
                " WHERE c.conversation_id = a.conversation_id AND c.seq < a.seq"
                " AND c.kind = 'message' AND c.sender = 'customer' ORDER BY c.seq DESC LIMIT 1)"
                " AS customer FROM messages a WHERE a.sender = 'agent' AND a.kind = 'message'"
                " AND a.conversation_id <> ? ORDER BY a.ts DESC LIMIT ?",
                exclude_conversation,
                limit,
            )
            others = sorted({row["conversation_id"] for row in rows})
            values = (
                await tx.fetchall(
                    "SELECT conversation_id, value FROM redactions WHERE conversation_id IN ("
                    + ", ".join("?" * len(others))
                    + ")",
                    *others,
                )
                if others
                else []
            )
        redacted: dict[str, list[str]] = {}
        for value in values:
            redacted.setdefault(value["conversation_id"], []).append(value["value"])
        pairs = []
        for row in rows:
            if row["customer"] is None:
                continue
            customer, reply = json.loads(row["customer"]), json.loads(row["reply"])
            pairs.append(
                {
                    "conversation_id": row["conversation_id"],
                    "customer": str(customer.get("text") or ""),
                    "reply": str(reply.get("text") or ""),
                    "redacted": redacted.get(row["conversation_id"], []),
                }
            )
        return [p for p in pairs if p["customer"] and p["reply"]]

    async def count_turns(self, conversation_id: str) -> dict[str, int]:
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT sender, COUNT(*) AS n FROM messages WHERE conversation_id = ? AND kind ="
                " 'message'"
                " GROUP BY sender",
                conversation_id,
            )
        return {r["sender"]: int(r["n"]) for r in rows}
