"""Pure queue policy: a handoff's team, the wait estimate, business hours, a call back.

Priorities are small integers, lower is served first; ``handoff/core/triage.py`` gives each
handoff its class by consequence, whose number is the priority (0 is an emergency).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EMERGENCY = "emergency"
EMERGENCY_PRIORITY = 0


def team_for(topic: str | None, topic_teams: dict[str, str]) -> str | None:
    """The team that handles a topic; unmapped topics go to the team of the same name."""
    if not topic:
        return topic_teams.get("*")
    return topic_teams.get(topic, topic_teams.get("*", topic))


def estimate_wait(position: int, agents_online: int, handle_seconds: float) -> int | None:
    """Seconds until a person joins, assuming each online agent frees a slot per handle time."""
    if agents_online <= 0:
        return None
    return int(math.ceil(position / agents_online) * handle_seconds)


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours per weekday, in one time zone. Parsed from e.g.
    ``mon-fri 09:00-17:00; sat 10:00-14:00``; the empty spec means always open."""

    windows: tuple[tuple[int, time, time], ...]
    zone: str = "UTC"

    @classmethod
    def parse(cls, spec: str, zone: str = "UTC") -> BusinessHours:
        ZoneInfo(zone)  # fail early on an unknown zone
        windows: list[tuple[int, time, time]] = []
        for part in filter(None, (p.strip() for p in spec.split(";"))):
            try:
                days, hours = part.split()
                first, _, last = days.lower().partition("-")
                start_s, end_s = hours.split("-")
                start = _clock(start_s)
                end = time.max if end_s == "24:00" else _clock(end_s)
                lo, hi = DAYS.index(first), DAYS.index(last or first)
            except ValueError as exc:
                raise ValueError(
                    f"bad business hours {part!r}: use e.g. 'mon-fri 09:00-17:00'"
                ) from exc
            span = range(lo, hi + 1) if lo <= hi else [*range(lo, 7), *range(0, hi + 1)]
            windows.extend((day, start, end) for day in span)
        return cls(tuple(windows), zone)

    def is_open(self, now: float) -> bool:
        if not self.windows:
            return True
        local = datetime.fromtimestamp(now, ZoneInfo(self.zone))
        clock = local.time()
        return any(
            day == local.weekday() and start <= clock < end for day, start, end in self.windows
        )


def _clock(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def wants_callback(context: dict[str, Any] | None) -> bool:
    """Whether the handoff came from a request to be called back (the trigger says so)."""
    trigger = (context or {}).get("trigger") or {}
    return isinstance(trigger, dict) and trigger.get("callback") is True
