"""Supervisors' insights: who may see them, and the figures of a date range and team.

The figures are summed from the stored outcomes (`handoff.core.insights.summarise`); this
module only reads the store and checks the reader's role.

    InsightsError        the request cannot be answered as asked
    ├── NotSupervisor    the session is valid but the account is not a supervisor
    └── UnknownTeam      no agent account or outcome names this team
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from handoff.core.insights import Insights, day_start, summarise
from handoff.core.outcomes import Outcome
from handoff.service.auth import SUPERVISOR, token_hash
from handoff.service.hub import Hub

# The longest range one request may ask for.
MAX_DAYS = 366


class InsightsError(ValueError):
    pass


class NotSupervisor(InsightsError):
    pass


class UnknownTeam(InsightsError):
    pass


@dataclass(frozen=True)
class Query:
    first_day: date
    last_day: date
    team: str | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise InsightsError("'from' must not be after 'to'")
        if (self.last_day - self.first_day).days >= MAX_DAYS:
            raise InsightsError(f"ask for at most {MAX_DAYS} days at once")

    @property
    def since(self) -> float:
        return day_start(self.first_day)

    @property
    def until(self) -> float:
        return day_start(self.last_day + timedelta(days=1))


async def reader(hub: Hub, token: str) -> dict[str, Any] | None:
    """The account a session token belongs to, if the session is valid; `NotSupervisor` if
    that account may not read insights."""
    agent = await hub.store.agent_for_token(token_hash(token), hub.clock())
    if agent is not None and agent.get("role") != SUPERVISOR:
        raise NotSupervisor("insights are for supervisors")
    return agent


async def _checked(hub: Hub, query: Query) -> None:
    if query.team is not None and query.team not in await hub.store.teams():
        raise UnknownTeam(f"unknown team {query.team!r}")


async def report(hub: Hub, query: Query) -> dict[str, Any]:
    """The insights of the range as JSON, with the teams a supervisor may filter by."""
    await _checked(hub, query)
    store = hub.store
    outcomes = await store.list_outcomes(query.since, query.until, query.team)
    failed = await store.failed_turns(query.since, query.until, query.team)
    replies = await store.agent_reply_marks(query.since, query.until, query.team)
    summary: Insights = summarise(
        outcomes, failed, query.first_day, query.last_day, query.team, replies
    )
    return {**summary.to_json(), "teams": await store.teams()}


async def outcomes(hub: Hub, query: Query) -> list[Outcome]:
    """Every stored outcome of the range (the CSV export), oldest first."""
    await _checked(hub, query)
    return await hub.store.list_outcomes(query.since, query.until, query.team)
