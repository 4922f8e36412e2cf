"""Database drivers behind one tiny transaction interface.

Both drivers hand out a `Tx` with `execute`, `fetchone` and `fetchall`, taking SQL with
`?` placeholders, so the store's SQL is written once. SQLite (`handoff.store.sqlite`)
serialises transactions on one connection and commits them in groups; PostgreSQL uses an
asyncpg pool and real concurrent transactions.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from handoff.store.errors import StoreError
from handoff.store.sqlite import SqliteDriver

__all__ = ["PostgresDriver", "SqliteDriver", "Tx", "to_dollar"]


class Tx(Protocol):
    async def execute(self, sql: str, *args: Any) -> int: ...
    async def fetchone(self, sql: str, *args: Any) -> dict[str, Any] | None: ...
    async def fetchall(self, sql: str, *args: Any) -> list[dict[str, Any]]: ...


_PLACEHOLDER = re.compile(r"\?")
# Seconds to wait for the pool's connections to be released at shutdown before closing them.
CLOSE_SECONDS = 10.0


def to_dollar(sql: str) -> str:
    """Rewrite `?` placeholders as asyncpg's `$1, $2, ...` (our SQL never quotes a `?`)."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _m: f"${next(counter)}", sql)


class PostgresDriver:
    dialect = "postgresql"

    # Advisory locks are per database; the key also names the schema, so services that share
    # a server but keep their tables apart (one schema each) do not wait for each other.
    LEAD_SQL = (
        "SELECT pg_try_advisory_lock("
        "hashtextextended('handoff:' || current_database() || '/' || current_schema(), 0))"
    )

    def __init__(self, url: str) -> None:
        self.url = url
        self.pool: Any = None
        self._leader: Any = None

    async def open(self) -> None:
        import asyncpg

        self.pool = await asyncpg.create_pool(self.url, min_size=1, max_size=10)

    async def close(self) -> None:
        if self._leader is not None:
            await self._leader.close()  # ends the session, which releases the advisory lock
            self._leader = None
        if self.pool is not None:
            try:
                # A connection still held by a cancelled task must not keep the service up.
                async with asyncio.timeout(CLOSE_SECONDS):
                    await self.pool.close()
            except TimeoutError:
                self.pool.terminate()
            self.pool = None

    async def try_lead(self) -> bool:
        """Become the one active service on this database: a session advisory lock held on a
        connection of its own, released by PostgreSQL when that session ends (even on SIGKILL)."""
        import asyncpg

        if self._leader is not None:
            return True
        conn = await asyncpg.connect(self.url)
        if await conn.fetchval(self.LEAD_SQL):
            self._leader = conn
            return True
        await conn.close()
        return False

    def leader_pid(self) -> int | None:
        """The server process of the session holding the lock (for operators and tests)."""
        return None if self._leader is None else int(self._leader.get_server_pid())

    async def still_leading(self) -> bool:
        """False once the session holding the lock is gone (the lock went with it)."""
        if self._leader is None:
            return False
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for drops a cancellation that
            # arrives as the query completes, and the watchdog asking this would never stop.
            async with asyncio.timeout(5):
                await self._leader.fetchval("SELECT 1")
        except Exception:
            return False
        return True

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        import asyncpg

        try:
            async with self.pool.acquire() as conn, conn.transaction():
                yield _PostgresTx(conn)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise StoreError(f"postgresql: {exc}") from exc

    async def script(self, sql: str) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(sql)


class _PostgresTx:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def execute(self, sql: str, *args: Any) -> int:
        status = await self.conn.execute(to_dollar(sql), *args)
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def fetchone(self, sql: str, *args: Any) -> dict[str, Any] | None:
        row = await self.conn.fetchrow(to_dollar(sql), *args)
        return dict(row) if row is not None else None

    async def fetchall(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in await self.conn.fetch(to_dollar(sql), *args)]
