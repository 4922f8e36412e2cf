"""Store table of the learning loop: what the customer wanted, said by the agent at close."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


class LabelsMixin:
    driver: Any

    async def save_label(
        self,
        conversation_id: str,
        intent: str,
        misunderstood: Sequence[int],
        agent_id: str,
        now: float,
    ) -> list[int]:
        """Keep the agent's label; ``misunderstood`` is narrowed to this conversation's
        customer messages (the seqs that exist), which are returned."""
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT seq FROM messages WHERE conversation_id = ? AND sender = 'customer'"
                " AND kind = 'message'",
                conversation_id,
            )
            present = {int(row["seq"]) for row in rows}
            seqs = sorted({seq for seq in misunderstood if seq in present})
            await tx.execute(
                "INSERT INTO nlu_labels (conversation_id, intent, misunderstood, agent_id,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                conversation_id,
                intent,
                json.dumps(seqs),
                agent_id,
                now,
            )
        return seqs

    async def labels(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT * FROM nlu_labels WHERE conversation_id = ? ORDER BY created_at",
                conversation_id,
            )
        for row in rows:
            row["misunderstood"] = json.loads(row["misunderstood"])
        return list(rows)
