"""Limit login attempts: a few free failures per key, then a delay that doubles each time.

`LoginLimiter` is pure (the clock is injected): `retry_after(*keys)` says how long the
caller must wait (0: go ahead), `failed(*keys)` counts a wrong password, `succeeded(*keys)`
forgets the keys. The login handler keeps one limiter per account and one per client
address, so neither guessing one password nor spraying many accounts goes fast.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Entry:
    failures: int = 0
    locked_until: float = 0.0
    last: float = 0.0


class LoginLimiter:
    def __init__(
        self,
        free: int,
        base: float,
        cap: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if free < 0 or base <= 0 or cap < base:
            raise ValueError("need free >= 0 and 0 < base <= cap")
        self.free, self.base, self.cap, self.clock = free, base, cap, clock
        self.max_keys = max_keys
        self.entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def retry_after(self, *keys: str) -> float:
        now = self.clock()
        waits = [e.locked_until - now for k in keys if (e := self.entries.get(k)) is not None]
        return max([0.0, *waits])

    def failed(self, *keys: str) -> None:
        now = self.clock()
        if len(self.entries) >= self.max_keys:
            self._forget_stale(now)
        for key in keys:
            entry = self.entries.setdefault(key, _Entry())
            entry.failures += 1
            entry.last = now
            over = entry.failures - self.free
            if over > 0:
                entry.locked_until = now + min(self.cap, self.base * 2 ** min(over - 1, 62))

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self.entries.pop(key, None)

    def _forget_stale(self, now: float) -> None:
        """A key quiet for longer than the longest delay starts afresh anyway; past that, the
        oldest go first so an address spraying names cannot grow memory without bound."""
        stale = [k for k, e in self.entries.items() if now - e.last > 2 * self.cap]
        for key in stale:
            del self.entries[key]
        if len(self.entries) >= self.max_keys:
            for key in sorted(self.entries, key=lambda k: self.entries[k].last)[
                : len(self.entries) - self.max_keys // 2
            ]:
                del self.entries[key]


# Five wrong passwords per account are free, twenty per client address (a shared office
# address); then 1, 2, 4 … seconds up to 15 minutes.
ACCOUNT_FREE, ADDRESS_FREE, FIRST_DELAY, LONGEST_DELAY = 5, 20, 1.0, 900.0


class LoginLimits:
    """The login handler's two limiters: per account and per client address."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.accounts = LoginLimiter(ACCOUNT_FREE, FIRST_DELAY, LONGEST_DELAY, clock)
        self.addresses = LoginLimiter(ADDRESS_FREE, FIRST_DELAY, LONGEST_DELAY, clock)
