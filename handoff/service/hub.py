"""The hub: the service's state with its relay to the assistant, the one object the edge holds.

Every change is stored before it is sent: `command()` (in `State`) persists a desk command's
transitions, then `react` tells customers and agents (`effects`) and, last, hands the
assistant what a hand back wakes it up with.
"""

from __future__ import annotations

from functools import cached_property

from handoff.core.events import Event
from handoff.service.effects import apply_effects
from handoff.service.relay import Relay
from handoff.service.state import State


class Hub(State):
    @cached_property
    def relay(self) -> Relay:
        # Made on first use, so the hub takes the state's arguments unchanged.
        return Relay(self)

    async def react(self, events: list[Event]) -> None:
        for conversation_id, message in await apply_effects(self, events):
            self.relay.submit(conversation_id, message, kind="handback")
