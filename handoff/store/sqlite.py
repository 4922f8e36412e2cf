"""The SQLite driver: one connection, transactions one at a time, commits in groups.

Group commit keeps `synchronous=FULL` affordable. Each transaction runs as a SAVEPOINT inside
a shared outer transaction; the outer one commits (one fsync) as soon as the transactions
that were already waiting for the connection have run, and every one of them returns only
after that commit. So nothing is acknowledged, shown or relayed before it is on disk, yet ten
concurrent customers cost one fsync, not ten. A transaction that fails rolls back to its own
savepoint and leaves the others in the group alone; a commit that fails fails them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from handoff.store.errors import StoreError


class _Group:
    """Transactions sharing one commit."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.committed: asyncio.Future[None] = loop.create_future()
        self.dirty = False  # some member wrote: later readers may have seen unflushed rows


class SqliteDriver:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._pool: ThreadPoolExecutor | None = None
        self._lock: asyncio.Lock | None = None
        self._db: sqlite3.Connection | None = None
        self._lock_file: Any = None
        self._group: _Group | None = None
        self._flushes: set[asyncio.Task[None]] = set()

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
        for task in list(self._flushes):
            with contextlib.suppress(Exception):
                await task  # an open group commits before the connection goes
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
    async def transaction(self) -> AsyncIterator[_SqliteTx]:
        # Only BEGIN IMMEDIATE (it may wait for another process's write lock) and COMMIT (the
        # fsync) run on the database thread; the statements run on the event loop, as they
        # touch pages SQLite or the OS already holds and take microseconds. The asyncio lock
        # keeps one transaction at a time on the connection, so the threads never share it.
        assert self._lock is not None, "store is not open"
        async with self._lock:
            db = self._db
            assert db is not None, "store is not open"
            try:
                group = await self._join(db)
                changes, saw_unflushed = db.total_changes, group.dirty
                db.execute("SAVEPOINT tx")
            except sqlite3.Error as exc:
                raise self._abandon(db, exc) from exc
            try:
                yield _SqliteTx(db)
            except BaseException as exc:
                try:
                    db.execute("ROLLBACK TO tx")
                    db.execute("RELEASE tx")
                except sqlite3.Error as undo:
                    # SQLite rolled the whole group back itself (disk full, I/O error).
                    raise self._abandon(db, undo) from exc
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"sqlite: {exc}") from exc
                raise
            try:
                db.execute("RELEASE tx")
            except sqlite3.Error as exc:
                raise self._abandon(db, exc) from exc
            group.dirty |= db.total_changes != changes
        if group.dirty or saw_unflushed:
            # shield: a cancelled caller must not cancel the commit the others wait for.
            await asyncio.shield(group.committed)

    async def _join(self, db: sqlite3.Connection) -> _Group:
        """The open group, or a new one whose commit is queued behind those already waiting."""
        if self._group is not None and not db.in_transaction:
            self._abandon(db, sqlite3.OperationalError("the open transaction was rolled back"))
        if self._group is None:
            if not db.in_transaction:  # else a cancelled caller's BEGIN went through: adopt it
                # shield: if our caller is cancelled the BEGIN still completes on the thread.
                await asyncio.shield(self._run(db.execute, "BEGIN IMMEDIATE"))
            group = self._group = _Group(asyncio.get_running_loop())
            task = asyncio.create_task(self._flush(group))
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)
        return self._group

    async def _flush(self, group: _Group) -> None:
        assert self._lock is not None
        async with self._lock:  # FIFO: the transactions already waiting join this group first
            if self._group is not group:
                return  # abandoned; its members were told
            self._group = None
            db = self._db
            try:
                assert db is not None and db.in_transaction, "the group's transaction is gone"
                await self._run(db.execute, "COMMIT")
            except (sqlite3.Error, AssertionError) as exc:
                if db is not None and db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                group.committed.set_exception(StoreError(f"sqlite: commit failed: {exc}"))
                group.committed.exception()  # retrieved here: a group may have no waiters
                return
            group.committed.set_result(None)

    def _abandon(self, db: sqlite3.Connection, exc: Exception) -> StoreError:
        """The shared transaction broke: roll it back and fail every member waiting on it."""
        error = StoreError(f"sqlite: {exc}")
        group, self._group = self._group, None
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        if group is not None and not group.committed.done():
            group.committed.set_exception(error)
            group.committed.exception()  # retrieved here: a group may have no waiters
        return error

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
