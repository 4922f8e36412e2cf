"""The customer's ratings, of the assistant's part and of the person's, asked and kept apart.

The assistant's part is asked once per conversation: when it hands the conversation to the
queue (not in an emergency), or after a turn that met the customer's goal while it handled the
conversation alone. The person's part is asked when an agent closes. A rating is taken only
for a part that was asked and not yet given, and is stored with that part; the person's with
who handled it, how it was resolved and how long it took.
"""

from __future__ import annotations

from handoff.core import CLOSED
from handoff.core.outcomes import ASSISTANT_PART, PERSON_PART
from handoff.frames import Csat, FrameError
from handoff.service.state import State

ASK = {
    ASSISTANT_PART: "How helpful was the assistant? Rate it from 1 to 5 if you like.",
    PERSON_PART: "How did we do? Please rate this conversation from 1 to 5.",
}


async def ask(
    hub: State, cid: str, part: str, owner: str | None = None, agent_id: str | None = None
) -> bool:
    """Ask the customer to rate this part; False when the assistant's was asked already.
    ``owner`` and ``agent_id``: as of the transition that asks, if one does."""
    if not await hub.store.ask_csat(cid, part):
        return False
    await hub.event(cid, "csat_request", ASK[part], owner=owner, agent_id=agent_id, part=part)
    return True


async def rate(hub: State, cid: str, frame: Csat) -> None:
    part = frame.part or PERSON_PART
    if not await hub.store.csat_asked(cid, part):
        raise FrameError(
            "not_allowed", f"the {part}'s part of this conversation is not to be rated right now"
        )
    agent_id = resolution = None
    if part == PERSON_PART:
        closing = [t for t in await hub.store.transitions(cid) if t["to_owner"] == CLOSED][-1]
        agent_id, resolution = closing["from_agent"], closing["reason"].removeprefix("closed:")
    await hub.store.add_csat(
        cid,
        frame.score,
        frame.comment,
        agent_id,
        resolution,
        await hub.store.count_turns(cid),
        hub.clock(),
        part=part,
    )
    hub.metrics.observe_rating(part, frame.score)
    hub.outcomes.changed(cid)
    await hub.event(cid, "csat_received", "Thank you for your feedback.", part=part)
