"""Store tables of handoffs: the context as received, and redacted values kept apart."""

from __future__ import annotations

import json
from typing import Any


class HandoffsMixin:
    driver: Any

    # -- handoffs and redactions --------------------------------------------------------------

    async def get_handoff(self, handoff_id: str) -> dict[str, Any] | None:
        async with self.driver.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM handoffs WHERE handoff_id = ?", handoff_id)
        if row is not None:
            row["response"] = json.loads(row["response"])
        return row

    async def save_handoff(
        self,
        handoff_id: str,
        conversation_id: str,
        body: dict[str, Any],
        response: dict[str, Any],
        now: float,
    ) -> bool:
        redactions = body.get("redactions") or []
        stored = {k: v for k, v in body.items() if k != "redactions"}
        customer = body.get("customer") or {}
        # Only a verified id links conversations: an unverified one is just what someone typed.
        customer_id = customer.get("customer_id") if customer.get("verified") is True else None
        async with self.driver.transaction() as tx:
            inserted = await tx.execute(
                "INSERT INTO handoffs (handoff_id, conversation_id, body, response, created_at,"
                " customer_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (handoff_id) DO NOTHING",
                handoff_id,
                conversation_id,
                json.dumps(stored),
                json.dumps(response),
                now,
                customer_id if isinstance(customer_id, str) else None,
            )
            if inserted != 1:
                return False
            await tx.execute(
                "UPDATE conversations SET context = ? WHERE id = ?",
                json.dumps(stored),
                conversation_id,
            )
            for item in redactions:
                await tx.execute(
                    "INSERT INTO redactions (conversation_id, placeholder, kind, value) VALUES"
                    " (?, ?, ?, ?)"
                    " ON CONFLICT (conversation_id, placeholder) DO UPDATE SET value ="
                    " excluded.value",
                    conversation_id,
                    item["placeholder"],
                    item.get("kind"),
                    item["value"],
                )
        return True

    async def earlier_handoffs(
        self, customer_id: str, except_conversation: str, limit: int = 5
    ) -> list[dict[str, Any]]:
        """The verified customer's other handed-over conversations, newest first, one row each
        (its latest handoff): conversation_id, created_at and the stored context as ``body``."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT conversation_id, body, created_at FROM handoffs WHERE customer_id = ?"
                " AND conversation_id <> ? ORDER BY created_at DESC LIMIT ?",
                customer_id,
                except_conversation,
                limit * 4,
            )
        latest: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["conversation_id"] not in latest and len(latest) < limit:
                latest[row["conversation_id"]] = {**row, "body": json.loads(row["body"])}
        return list(latest.values())

    async def set_handoff_response(self, handoff_id: str, response: dict[str, Any]) -> None:
        async with self.driver.transaction() as tx:
            await tx.execute(
                "UPDATE handoffs SET response = ? WHERE handoff_id = ?",
                json.dumps(response),
                handoff_id,
            )

    async def redaction_values(self, conversation_id: str) -> dict[str, str]:
        """Original value -> placeholder, used to mask the gateway's own transcript for agents."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT placeholder, value FROM redactions WHERE conversation_id = ?",
                conversation_id,
            )
        return {r["value"]: r["placeholder"] for r in rows}

    async def reveal(
        self, conversation_id: str, placeholder: str, agent_id: str, now: float
    ) -> str | None:
        """The original of a redacted value; every successful look-up is logged."""
        async with self.driver.transaction() as tx:
            row = await tx.fetchone(
                "SELECT value FROM redactions WHERE conversation_id = ? AND placeholder = ?",
                conversation_id,
                placeholder,
            )
            if row is None:
                return None
            await tx.execute(
                "INSERT INTO reveals (conversation_id, placeholder, agent_id, revealed_at)"
                " VALUES (?, ?, ?, ?)",
                conversation_id,
                placeholder,
                agent_id,
                now,
            )
            return str(row["value"])

    async def reveals(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            return await tx.fetchall(
                "SELECT placeholder, agent_id, revealed_at FROM reveals WHERE conversation_id ="
                " ? ORDER BY id",
                conversation_id,
            )
