"""Database drivers behind one tiny transaction interface.

Both drivers hand out a `Tx` with `execute`, `fetchone` and `fetchall`, taking SQL with
`?` placeholders, so the store's SQL is written once. SQLite runs on one dedicated thread
(the stdlib module is synchronous) and serialises transactions; PostgreSQL uses an asyncpg
pool and real concurrent transactions.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

from handoff.store.errors import StoreError


class Tx(Protocol):
    async def execute(self, sql: str, *args: Any) -> int: ...
    async def fetchone(self, sql: str, *args: Any) -> dict[str, Any] | None: ...
    async def fetchall(self, sql: str, *args: Any) -> list[dict[str, Any]]: ...


class SqliteDriver:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._pool: ThreadPoolExecutor | None = None
        self._lock: asyncio.Lock | None = None
        self._db: sqlite3.Connection | None = None
        self._lock_file: Any = None

    async def open(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._lock = asyncio.Lock()

        def connect() -> sqlite3.Connection:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            # FULL: an acknowledged message survives power loss, not only a killed process.
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=5000")
            return db

        self._db = await self._run(connect)

    async def close(self) -> None:
        if self._db is not None:
            await self._run(self._db.close)
            self._db = None
        if self._lock_file is not None:
            self._lock_file.close()  # releases the flock
            self._lock_file = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    async def try_lead(self) -> bool:
        """Become the one active service on this database file (an exclusive flock beside it)."""
        if self.path == ":memory:" or self._lock_file is not None:
            return True
        import fcntl

        # A tiny local file, opened once per start; the event loop can afford it.
        handle = open(self.path + ".lock", "a")  # noqa: SIM115, ASYNC230 - held open while we lead
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    async def still_leading(self) -> bool:
        return True  # a flock lasts as long as the process

    async def _run(self, fn: Any, *args: Any) -> Any:
        assert self._pool is not None, "store is not open"
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        # Two thread hops per transaction, not one per statement: BEGIN IMMEDIATE (it may wait
        # for another process's write lock) and COMMIT (the fsync) run on the database thread;
        # the statements in between run on the event loop, as they only touch pages SQLite or
        # the OS already holds in memory and take microseconds. The asyncio lock keeps the
        # connection to one transaction, so the two threads never use it at the same time.
        assert self._lock is not None, "store is not open"
        async with self._lock:
            db = self._db
            assert db is not None, "store is not open"
            try:
                await self._run(db.execute, "BEGIN IMMEDIATE")
                try:
                    yield _SqliteTx(db)
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                await self._run(db.execute, "COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"sqlite: {exc}") from exc

    async def script(self, sql: str) -> None:
        assert self._db is not None
        await self._run(self._db.executescript, sql)


class _SqliteTx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    async def execute(self, sql: str, *args: Any) -> int:
        return int(self.db.execute(sql, args).rowcount)

    async def fetchone(self, sql: str, *args: Any) -> dict[str, Any] | None:
        row = self.db.execute(sql, args).fetchone()
        return dict(row) if row is not None else None

    async def fetchall(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(sql, args).fetchall()]


_PLACEHOLDER = re.compile(r"\?")


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
            await self.pool.close()
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
            await asyncio.wait_for(self._leader.fetchval("SELECT 1"), 5)
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
