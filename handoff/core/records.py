"""The desk's records: a conversation and its owner, an agent and what they can take."""

from __future__ import annotations

from dataclasses import dataclass, field

from handoff.core.policy import EMERGENCY_PRIORITY

BOT, QUEUE, AGENT, CLOSED = "bot", "queue", "agent", "closed"
ANY_TEAM = "*"


@dataclass
class Conversation:
    id: str
    owner: str = BOT
    agent_id: str | None = None
    priority: int = 4
    team: str | None = None
    # First-come key within a priority. It is kept when a conversation comes back to
    # the queue (agent vanished, team transfer), so it goes ahead of newer ones.
    rank: float = 0.0
    queued_at: float | None = None
    grace_until: float | None = None
    # ISO 639-1 code the customer writes in; None when unknown.
    language: str | None = None


@dataclass
class Agent:
    id: str
    name: str
    teams: frozenset[str] = frozenset()
    capacity: int = 1
    online: bool = False
    available: bool = False
    conversations: set[str] = field(default_factory=set)
    last_assigned: float = 0.0
    languages: frozenset[str] = frozenset({"en"})

    def serves(self, team: str | None) -> bool:
        return team is None or ANY_TEAM in self.teams or team in self.teams

    def speaks(self, language: str | None) -> bool:
        return language is None or language in self.languages

    def has_room(self) -> bool:
        return len(self.conversations) < self.capacity

    def can_take(self, conv: Conversation) -> bool:
        """An emergency is for every agent whatever their team; the rest go to their team."""
        return conv.priority == EMERGENCY_PRIORITY or self.serves(conv.team)
