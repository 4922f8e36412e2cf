"""The customer's rating of a conversation with a person: allowed once it is closed, and
stored with who handled it, how it was resolved and how long it took."""

from __future__ import annotations

from handoff.core import CLOSED
from handoff.frames import Csat, FrameError
from handoff.service.state import State


async def rate(hub: State, cid: str, frame: Csat) -> None:
    row = await hub.store.get_conversation(cid)
    if row is None or not row["csat_pending"]:
        raise FrameError("not_allowed", "there is no conversation with a person to rate right now")
    closing = [t for t in await hub.store.transitions(cid) if t["to_owner"] == CLOSED][-1]
    resolution = closing["reason"].removeprefix("closed:")
    await hub.store.add_csat(
        cid,
        frame.score,
        frame.comment,
        closing["from_agent"],
        resolution,
        await hub.store.count_turns(cid),
        hub.clock(),
    )
    hub.outcomes.changed(cid)
    await hub.event(cid, "csat_received", "Thank you for your feedback.")
