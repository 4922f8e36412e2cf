"""The agent's label at close: what the customer actually wanted, for the learning loop.

The optional ``intent`` and ``misunderstood`` fields of the ``close`` frame (docs/protocol.md)
are kept in the store's ``nlu_labels`` table; conversation designers review them with
``make review`` (docs/designers.md).
"""

from __future__ import annotations

import structlog

from handoff.frames import Close, FrameError
from handoff.store import Store

log = structlog.get_logger("handoff.learning")


def label_of(frame: Close) -> tuple[str, list[int]] | None:
    """The (intent, misunderstood seqs) of a parsed close frame, or None when it has none.

    Marked messages without the intent they meant cannot be reviewed, so they are refused.
    """
    intent = frame.intent
    misunderstood = frame.misunderstood or []
    if intent is None:
        if misunderstood:
            raise FrameError("bad_field", "field 'misunderstood' needs the field 'intent'")
        return None
    return intent, list(misunderstood)


async def record(
    store: Store, conversation_id: str, agent_id: str, label: tuple[str, list[int]], now: float
) -> None:
    intent, misunderstood = label
    seqs = await store.save_label(conversation_id, intent, misunderstood, agent_id, now)
    log.info(
        "learning.labelled",
        conversation_id=conversation_id,
        agent_id=agent_id,
        intent=intent,
        misunderstood=len(seqs),
    )
