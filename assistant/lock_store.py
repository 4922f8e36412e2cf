"""One conversation at a time across the Rasa worker processes of one host, without Redis.

Rasa runs several Sanic workers (``SANIC_WORKERS``) only with a lock store they share; its
in-memory store is per process and its Redis store needs a Redis server. This store locks a
conversation with a POSIX byte-range lock on one shared file (byte ``crc32(id) % slots``)
plus an asyncio lock inside each process, as POSIX locks do not exclude two coroutines of the
same process. The kernel releases a dead worker's locks at once, so no expiry is needed; a
message that waits longer than the lock lifetime fails with Rasa's ``LockError`` instead of
running beside another message of its conversation. Two conversations that share a byte
only wait for each other, rarely: there are 65,536 by default.

It serves the workers of one host. Instances on several hosts need Rasa's Redis lock store
(docs/production.md). endpoints.yml::

    lock_store:
      type: assistant.lock_store.FileLockStore
      path: ${NW_LOCK_FILE}
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
import zlib
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

# How often a worker retries a conversation another worker holds.
POLL_SECONDS = 0.005


class FileLockStore(LockStore):
    """Conversation locks shared by the processes that open the same ``path``."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        path: str | None = None,
        slots: int = 65536,
    ) -> None:
        settings: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        path = path or settings.get("path")
        if not path:
            raise ValueError("FileLockStore needs `path`, the lock file every worker shares")
        self.path = Path(path)
        self.slots = int(settings.get("slots", slots))
        if self.slots < 1:
            raise ValueError("FileLockStore `slots` must be at least 1")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = None
        self._pid = 0
        # slot -> (lock, number of coroutines using it); an entry goes when nobody uses it.
        self._local: dict[int, tuple[asyncio.Lock, int]] = {}

    def _file(self) -> int:
        # Opened in the process that locks (Sanic forks its workers after this object may
        # exist). Never closed while running: closing any descriptor of the file would drop
        # every POSIX lock this process holds on it.
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
            self._local = {}
        return self._fd

    def slot(self, conversation_id: str) -> int:
        return zlib.crc32(conversation_id.encode("utf-8")) % self.slots

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[None, None]:
        """Holds the conversation for the body of the ``async with``; ``LockError`` if it
        stays busy for longer than ``lock_lifetime`` seconds."""
        fd = self._file()
        slot = self.slot(conversation_id)
        local, users = self._local.get(slot, (asyncio.Lock(), 0))
        self._local[slot] = (local, users + 1)
        try:
            try:
                await asyncio.wait_for(local.acquire(), timeout=lock_lifetime)
            except asyncio.TimeoutError:
                raise LockError(
                    f"Could not acquire lock for conversation_id '{conversation_id}'."
                ) from None
            try:
                await self._acquire_byte(fd, slot, conversation_id, lock_lifetime)
                try:
                    yield None
                finally:
                    fcntl.lockf(fd, fcntl.LOCK_UN, 1, slot)
            finally:
                local.release()
        finally:
            lock, users = self._local[slot]
            if users == 1:
                del self._local[slot]
            else:
                self._local[slot] = (lock, users - 1)

    @staticmethod
    async def _acquire_byte(fd: int, slot: int, conversation_id: str, lifetime: float) -> None:
        deadline = time.monotonic() + lifetime
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)
                return
            except (BlockingIOError, PermissionError):
                if time.monotonic() >= deadline:
                    raise LockError(
                        f"Could not acquire lock for conversation_id '{conversation_id}'."
                    ) from None
                await asyncio.sleep(POLL_SECONDS)
