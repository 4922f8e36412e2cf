"""The ownership/queue state machine.

Every conversation has exactly one owner: the bot, the queue, one agent, or nobody
(closed). Commands check the current state, change it, and return the events that
describe the change; the caller persists and publishes them. The desk never reads the
clock: `now` is an argument, which makes every rule testable in microseconds.
"""

from __future__ import annotations

from handoff.core.events import (
    Event,
    GraceStarted,
    NotAllowed,
    OwnerChanged,
    QueueChanged,
    UnknownAgent,
    UnknownConversation,
)
from handoff.core.policy import EMERGENCY_PRIORITY
from handoff.core.records import AGENT, BOT, CLOSED, QUEUE, Agent, Conversation

__all__ = ["AGENT", "BOT", "CLOSED", "QUEUE", "Agent", "Conversation", "Desk"]


class Desk:
    def __init__(self) -> None:
        self.conversations: dict[str, Conversation] = {}
        self.agents: dict[str, Agent] = {}
        # Conversations whose assistant answer is still on its way. The handoff intake arrives
        # while the assistant is still answering the message that triggered it; auto-assigning
        # then would show "a person has joined" before the assistant's own announcement.
        # Waiting conversations keep their place; they are assigned once the answer is stored.
        self.held: set[str] = set()

    # -- queries ---------------------------------------------------------------

    def get(self, conversation_id: str) -> Conversation:
        try:
            return self.conversations[conversation_id]
        except KeyError:
            raise UnknownConversation(conversation_id) from None

    def agent(self, agent_id: str) -> Agent:
        try:
            return self.agents[agent_id]
        except KeyError:
            raise UnknownAgent(agent_id) from None

    def queue(self) -> list[Conversation]:
        waiting = [c for c in self.conversations.values() if c.owner == QUEUE]
        return sorted(waiting, key=lambda c: (c.priority, c.rank, c.id))

    def position(self, conversation_id: str) -> int | None:
        for index, conv in enumerate(self.queue(), start=1):
            if conv.id == conversation_id:
                return index
        return None

    def agents_online(self) -> int:
        return sum(1 for a in self.agents.values() if a.online)

    # -- setup (no events: used to load state, not to change it) ----------------

    def add_agent(
        self,
        agent_id: str,
        name: str,
        teams: frozenset[str],
        capacity: int,
        languages: frozenset[str] = frozenset({"en"}),
    ) -> Agent:
        agent = self.agents.get(agent_id)
        if agent is None:
            agent = self.agents[agent_id] = Agent(agent_id, name)
        agent.name, agent.teams, agent.capacity = name, frozenset(teams), max(1, capacity)
        agent.languages = frozenset(languages)
        return agent

    def open(self, conversation_id: str) -> Conversation:
        """Track a conversation the bot owns (created, or loaded from storage)."""
        return self.conversations.setdefault(conversation_id, Conversation(conversation_id))

    def restore(self, conv: Conversation, now: float, grace: float) -> None:
        """Load a persisted conversation; an agent owner that is offline gets a grace period."""
        self.conversations[conv.id] = conv
        if conv.owner == AGENT and conv.agent_id is not None:
            agent = self.agents.setdefault(conv.agent_id, Agent(conv.agent_id, conv.agent_id))
            agent.conversations.add(conv.id)
            if not agent.online and conv.grace_until is None:
                conv.grace_until = now + grace

    # -- customer and intake side ----------------------------------------------

    def enqueue(
        self,
        conversation_id: str,
        *,
        priority: int,
        team: str | None,
        now: float,
        reason: str,
        language: str | None = None,
    ) -> list[Event]:
        conv = self.open(conversation_id)
        if conv.owner in (QUEUE, AGENT):
            raise NotAllowed(f"conversation is already owned by {conv.owner}")
        conv.priority, conv.team, conv.language = priority, team, language
        conv.rank = conv.queued_at = now
        events: list[Event] = [self._move(conv, QUEUE, None, reason, now), QueueChanged(now)]
        return events + self._assign(now)

    def reprioritise(self, conversation_id: str, priority: int, now: float) -> list[Event]:
        """A newer context moved a waiting conversation to another class; an emergency stays
        one, since the danger said once is not undone by a calmer message."""
        conv = self.get(conversation_id)
        if conv.owner != QUEUE:
            raise NotAllowed("conversation is not waiting in the queue")
        if conv.priority in (priority, EMERGENCY_PRIORITY):
            return []
        conv.priority = priority
        return [QueueChanged(now), *self._assign(now)]

    def leave_queue(self, conversation_id: str, now: float, reason: str) -> list[Event]:
        conv = self.get(conversation_id)
        if conv.owner != QUEUE:
            raise NotAllowed("conversation is not waiting in the queue")
        return [self._move(conv, BOT, None, reason, now), QueueChanged(now)]

    def reopen(self, conversation_id: str, now: float) -> list[Event]:
        conv = self.get(conversation_id)
        if conv.owner != CLOSED:
            raise NotAllowed("conversation is not closed")
        return [self._move(conv, BOT, None, "customer_returned", now)]

    # -- agent presence ----------------------------------------------------------

    def connect(self, agent_id: str, now: float) -> list[Event]:
        agent = self.agent(agent_id)
        agent.online = agent.available = True
        for conv_id in agent.conversations:
            self.conversations[conv_id].grace_until = None
        return [QueueChanged(now), *self._assign(now)]

    def disconnect(self, agent_id: str, now: float, grace: float) -> list[Event]:
        agent = self.agent(agent_id)
        agent.online = agent.available = False
        events: list[Event] = [QueueChanged(now)]
        for conv_id in sorted(agent.conversations):
            conv = self.conversations[conv_id]
            conv.grace_until = now + grace
            events.append(GraceStarted(conv_id, agent_id, now + grace))
        return events

    def set_available(self, agent_id: str, available: bool, now: float) -> list[Event]:
        agent = self.agent(agent_id)
        if not agent.online:
            raise NotAllowed("agent is not connected")
        agent.available = available
        return [QueueChanged(now), *(self._assign(now) if available else [])]

    def tick(self, now: float) -> list[Event]:
        """Return conversations whose agent's grace ran out to the queue, then assign."""
        events: list[Event] = []
        for conv in sorted(self.conversations.values(), key=lambda c: c.id):
            if conv.owner == AGENT and conv.grace_until is not None and conv.grace_until <= now:
                self._release(conv)
                conv.queued_at = now
                events.append(self._move(conv, QUEUE, None, "agent_grace_expired", now))
        if events:
            events.append(QueueChanged(now))
        return events + self._assign(now)

    # -- agent commands ----------------------------------------------------------

    def claim(self, agent_id: str, conversation_id: str, now: float) -> list[Event]:
        agent, conv = self.agent(agent_id), self.get(conversation_id)
        if not agent.online:
            raise NotAllowed("agent is not connected")
        if conv.owner != QUEUE:
            raise NotAllowed(f"conversation is owned by {conv.owner}, not waiting")
        # An agent at capacity may still take an emergency: it must not wait for a free slot.
        if not agent.has_room() and conv.priority != EMERGENCY_PRIORITY:
            raise NotAllowed("agent is at capacity")
        return [self._give(conv, agent, "claimed", now), QueueChanged(now)]

    def transfer_to_agent(
        self, agent_id: str, conversation_id: str, to_agent: str, now: float
    ) -> list[Event]:
        conv = self._owned(agent_id, conversation_id)
        target = self.agent(to_agent)
        if target.id == agent_id:
            raise NotAllowed("cannot transfer to yourself")
        if not target.online or not target.has_room():
            raise NotAllowed("target agent is offline or at capacity")
        self._release(conv)
        return [self._give(conv, target, f"transferred_by:{agent_id}", now), QueueChanged(now)]

    def transfer_to_team(
        self, agent_id: str, conversation_id: str, team: str, now: float
    ) -> list[Event]:
        conv = self._owned(agent_id, conversation_id)
        self._release(conv)
        conv.team, conv.queued_at = team, now
        moved = self._move(conv, QUEUE, None, f"transferred_to_team:{team}", now)
        return [moved, QueueChanged(now), *self._assign(now, skip_agent=agent_id)]

    def hand_back(self, agent_id: str, conversation_id: str, now: float) -> list[Event]:
        conv = self._owned(agent_id, conversation_id)
        self._release(conv)
        moved = self._move(conv, BOT, None, "handed_back", now)
        return [moved, QueueChanged(now), *self._assign(now)]

    def close(
        self, agent_id: str, conversation_id: str, resolution: str, now: float
    ) -> list[Event]:
        conv = self._owned(agent_id, conversation_id)
        self._release(conv)
        moved = self._move(conv, CLOSED, None, f"closed:{resolution}", now)
        return [moved, QueueChanged(now), *self._assign(now)]

    # -- internals -----------------------------------------------------------------

    def _owned(self, agent_id: str, conversation_id: str) -> Conversation:
        self.agent(agent_id)
        conv = self.get(conversation_id)
        if conv.owner != AGENT or conv.agent_id != agent_id:
            raise NotAllowed("conversation is not yours")
        return conv

    def _release(self, conv: Conversation) -> None:
        if conv.agent_id is not None and conv.agent_id in self.agents:
            self.agents[conv.agent_id].conversations.discard(conv.id)
        conv.grace_until = None

    def _give(self, conv: Conversation, agent: Agent, reason: str, now: float) -> OwnerChanged:
        agent.conversations.add(conv.id)
        agent.last_assigned = now
        conv.grace_until = None
        return self._move(conv, AGENT, agent.id, reason, now)

    def _move(
        self, conv: Conversation, owner: str, agent_id: str | None, reason: str, now: float
    ) -> OwnerChanged:
        event = OwnerChanged(conv.id, conv.owner, owner, conv.agent_id, agent_id, reason, now)
        conv.owner, conv.agent_id = owner, agent_id
        return event

    def _assign(self, now: float, skip_agent: str | None = None) -> list[Event]:
        """Give waiting conversations, best first, to the least busy available agent.

        An agent who speaks the conversation's language goes before one who does not; with
        nobody who speaks it, any agent of the team takes it.
        """
        events: list[Event] = []
        for conv in self.queue():
            if conv.id in self.held:
                continue
            candidates = [
                a
                for a in self.agents.values()
                if a.online
                and a.available
                and a.has_room()
                and a.can_take(conv)
                and a.id != skip_agent
            ]
            if not candidates:
                continue
            agent = min(
                candidates,
                key=lambda a: (
                    not a.speaks(conv.language),
                    len(a.conversations),
                    a.last_assigned,
                    a.id,
                ),
            )
            events.append(self._give(conv, agent, "auto_assigned", now))
        if events:
            events.append(QueueChanged(now))
        return events
