"""Store queries of supervisors' insights: the messages the assistant failed on, agents'
replies begun from a suggestion, and teams."""

from __future__ import annotations

import json
from typing import Any

from handoff.core.insights import FailedTurn


class InsightsMixin:
    driver: Any

    async def failed_turns(
        self, since: float, until: float, team: str | None = None
    ) -> list[FailedTurn]:
        """The customer messages in [since, until) whose turn failed (the assistant did not
        understand them), with their text; of one team's conversations if given (the team of
        the conversation's outcome)."""
        sql = (
            "SELECT t.conversation_id, t.seq, t.ts, m.body FROM turns t"
            " JOIN messages m ON m.conversation_id = t.conversation_id AND m.seq = t.seq"
            " AND m.sender = 'customer' AND m.kind = 'message'"
        )
        args: list[Any] = [since, until]
        where = " WHERE t.goal = 'failed' AND t.ts >= ? AND t.ts < ?"
        if team is not None:
            sql += " JOIN outcomes o ON o.conversation_id = t.conversation_id"
            where += " AND o.team = ?"
            args.append(team)
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(sql + where + " ORDER BY t.ts, t.seq", *args)
        failed = []
        for row in rows:
            text = json.loads(row["body"]).get("text")
            if isinstance(text, str):
                failed.append(FailedTurn(row["conversation_id"], int(row["seq"]), text, row["ts"]))
        return failed

    async def agent_reply_marks(
        self, since: float, until: float, team: str | None = None
    ) -> list[dict[str, Any] | None]:
        """For each message agents sent in [since, until) (of one team's conversations if
        given), the mark it was stored with if it began as a suggested reply, else None."""
        sql = "SELECT m.body FROM messages m"
        args: list[Any] = [since, until]
        where = " WHERE m.sender = 'agent' AND m.kind = 'message' AND m.ts >= ? AND m.ts < ?"
        if team is not None:
            sql += " JOIN outcomes o ON o.conversation_id = m.conversation_id"
            where += " AND o.team = ?"
            args.append(team)
        async with self.driver.transaction() as tx:
            rows = await tx.fetchall(sql + where, *args)
        marks = [json.loads(row["body"]).get("suggestion") for row in rows]
        return [m if isinstance(m, dict) else None for m in marks]

    async def teams(self) -> list[str]:
        """Every team named by an agent account or by a stored outcome ('*' is not a team)."""
        async with self.driver.transaction() as tx:
            agents = await tx.fetchall("SELECT teams FROM agents")
            outcomes = await tx.fetchall(
                "SELECT DISTINCT team FROM outcomes WHERE team IS NOT NULL"
            )
        named = {team for row in agents for team in json.loads(row["teams"])}
        named |= {row["team"] for row in outcomes}
        return sorted(named - {"*"})
