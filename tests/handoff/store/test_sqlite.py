"""SQLite group commit: transactions share fsyncs, yet none returns before it is on disk."""

import asyncio
import sqlite3

from handoff.core import BOT, QUEUE, Conversation, OwnerChanged
from handoff.store import Conflict


def count_commits(store) -> list[str]:
    commits: list[str] = []
    store.driver._db.set_trace_callback(lambda sql: sql == "COMMIT" and commits.append(sql))
    return commits


def rows_on_disk(store, conversation_id: str) -> int:
    """What another process would read from the file right now."""
    other = sqlite3.connect(store.driver.path)
    try:
        sql = "SELECT COUNT(*) FROM messages WHERE conversation_id = ?"
        return int(other.execute(sql, (conversation_id,)).fetchone()[0])
    finally:
        other.close()


async def test_concurrent_writes_share_commits(sqlite_store):
    await sqlite_store.create_conversation("c1", "tok", None, 1.0)
    commits = count_commits(sqlite_store)
    await asyncio.gather(
        *(
            sqlite_store.append("c1", "message", "customer", {"text": str(i)}, f"m{i}", 1.0)
            for i in range(20)
        )
    )
    assert 1 <= len(commits) < 20
    assert rows_on_disk(sqlite_store, "c1") == 20


async def test_a_write_returns_only_once_it_is_committed(sqlite_store):
    await sqlite_store.create_conversation("c1", "tok", None, 1.0)

    async def append_and_look(i: int) -> int:
        await sqlite_store.append("c1", "message", "customer", {"text": "x"}, f"m{i}", 1.0)
        return rows_on_disk(sqlite_store, "c1")

    seen = await asyncio.gather(*(append_and_look(i) for i in range(10)))
    # Each caller, when it resumes, finds at least its own row (and those before it) on disk.
    assert all(n >= i + 1 for i, n in enumerate(seen))


async def test_a_failing_transaction_leaves_the_others_in_its_group_stored(sqlite_store):
    await sqlite_store.create_conversation("c1", "tok", None, 1.0)
    stale = OwnerChanged("c1", QUEUE, BOT, None, None, "stale", 2.0)
    results = await asyncio.gather(
        sqlite_store.append("c1", "message", "customer", {"text": "a"}, "m1", 1.0),
        sqlite_store.change_owner(stale, Conversation("c1", owner=BOT)),
        sqlite_store.append("c1", "message", "customer", {"text": "b"}, "m2", 1.0),
        return_exceptions=True,
    )
    assert isinstance(results[1], Conflict)
    assert [r["body"]["text"] for r in await sqlite_store.history("c1")] == ["a", "b"]
    assert rows_on_disk(sqlite_store, "c1") == 2
    assert await sqlite_store.transitions("c1") == []


async def test_a_read_of_committed_data_does_not_wait_for_a_commit(sqlite_store):
    await sqlite_store.create_conversation("c1", "tok", None, 1.0)
    commits = count_commits(sqlite_store)
    assert (await sqlite_store.get_conversation("c1"))["owner"] == BOT
    assert commits == []  # the read returned first ...
    await asyncio.sleep(0.05)
    assert commits == ["COMMIT"]  # ... and its group ended afterwards (nothing to fsync)
