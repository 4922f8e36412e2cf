"""The pure heart of the service: who owns each conversation, and the queue.

Nothing in this package performs I/O or reads the clock; time is passed in as unix
seconds, commands return events, and errors are raised from the small tree in `events`.
"""

from handoff.core.desk import AGENT, BOT, CLOSED, QUEUE, Agent, Conversation, Desk
from handoff.core.events import (
    DeskError,
    GraceStarted,
    NotAllowed,
    OwnerChanged,
    QueueChanged,
    UnknownAgent,
    UnknownConversation,
)

__all__ = [
    "AGENT",
    "BOT",
    "CLOSED",
    "QUEUE",
    "Agent",
    "Conversation",
    "Desk",
    "DeskError",
    "GraceStarted",
    "NotAllowed",
    "OwnerChanged",
    "QueueChanged",
    "UnknownAgent",
    "UnknownConversation",
]
