"""Events the desk emits and the errors it raises.

Error tree::

    DeskError                  any refused command
    ├── UnknownConversation    the conversation id is not on the desk
    ├── UnknownAgent           the agent id is not on the desk
    └── NotAllowed             the command is not allowed in the current state
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OwnerChanged:
    """A conversation changed hands; persisted and audited with its reason."""

    conversation_id: str
    old_owner: str
    new_owner: str
    old_agent: str | None
    new_agent: str | None
    reason: str
    at: float


@dataclass(frozen=True)
class QueueChanged:
    """Queue membership, order or agent availability changed; positions must be resent."""

    at: float


@dataclass(frozen=True)
class GraceStarted:
    """An owning agent went away; the conversation returns to the queue at `until`."""

    conversation_id: str
    agent_id: str
    until: float


Event = OwnerChanged | QueueChanged | GraceStarted


class DeskError(Exception):
    """A command the desk refused."""

    code = "not_allowed"


class UnknownConversation(DeskError):
    code = "unknown_conversation"


class UnknownAgent(DeskError):
    code = "unknown_agent"


class NotAllowed(DeskError):
    code = "not_allowed"
