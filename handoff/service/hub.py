"""The hub: the service's state with its relay to the assistant, the one object the edge holds.

Every change is stored before it is sent: `command()` (in `State`) persists a desk command's
transitions, then `react` tells customers and agents (`effects`) and, last, hands the
assistant what a hand back wakes it up with.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from handoff.core.events import Event
from handoff.metrics import Metrics
from handoff.rasa import RasaClient
from handoff.service.effects import apply_effects
from handoff.service.relay import Relay
from handoff.service.state import State
from handoff.settings import Settings
from handoff.store import Store


class Hub(State):
    def __init__(
        self,
        settings: Settings,
        store: Store,
        rasa: RasaClient,
        metrics: Metrics,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(settings, store, rasa, metrics, clock)
        self.relay = Relay(self)

    async def react(self, events: list[Event]) -> None:
        for conversation_id, message in await apply_effects(self, events):
            self.relay.submit(conversation_id, message, kind="handback")
