"""The SQLite tracker store keeps Rasa's conversations in WAL mode, readable by Rasa's own store."""

from __future__ import annotations

import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.tracker_store import SQLiteTrackerStore


def events(tracker: DialogueStateTracker | None) -> list[dict]:
    assert tracker is not None
    return [event.as_dict() for event in tracker.events]


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "tracker.db")


async def test_endpoints_yml_loads_this_store_and_it_uses_wal(db, rasa_domain, rasa_conversation):
    """The endpoint type in endpoints.yml names this class; the file ends up in WAL mode."""
    store = create_tracker_store(
        EndpointConfig(type="assistant.tracker_store.SQLiteTrackerStore", db=db), rasa_domain
    )
    assert isinstance(store, SQLiteTrackerStore)
    await store.save(rasa_conversation("conv-1"))
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.engine.dispose()


async def test_a_saved_conversation_comes_back_whole_after_a_restart(
    db, rasa_domain, rasa_conversation
):
    """A new store on the same file (a restarted Rasa) reads every event and slot."""
    first = SQLiteTrackerStore(rasa_domain, db=db)
    tracker = rasa_conversation("conv-restart")
    await first.save(tracker)
    first.engine.dispose()

    second = SQLiteTrackerStore(rasa_domain, db=db)
    restored = await second.retrieve("conv-restart")
    assert events(restored) == events(tracker)
    assert restored is not None and restored.get_slot("order_id") == "NW-10007"
    second.engine.dispose()


async def test_only_new_events_are_appended(db, rasa_domain, rasa_conversation):
    """Saving a continued conversation adds its new events once, as Rasa's store does."""
    store = SQLiteTrackerStore(rasa_domain, db=db)
    tracker = rasa_conversation("conv-2")
    await store.save(tracker)
    tracker.update(BotUttered("Anything else?"))
    await store.save(tracker)
    await store.save(tracker)
    assert events(await store.retrieve("conv-2")) == events(tracker)
    store.engine.dispose()


async def test_sessions_read_back_as_rasa_s_own_store_reads_them(
    db, rasa_domain, rasa_conversation
):
    """A second session: the latest one, or all, are the same events as Rasa's store reads,
    and either store appends to what the other wrote without repeating anything."""
    ours = SQLiteTrackerStore(rasa_domain, db=db)
    rasa_store = SQLTrackerStore(rasa_domain, dialect="sqlite", db=db)
    first_session = rasa_conversation("conv-3")
    await ours.save(first_session)
    later = first_session.events[-1].timestamp + 10
    for event in (
        ActionExecuted("action_session_start", timestamp=later),
        SessionStarted(timestamp=later),
        ActionExecuted("action_listen", timestamp=later),
        UserUttered("hello again", {"name": "track_order", "confidence": 0.9}, timestamp=later),
    ):
        first_session.update(event)
    await ours.save(first_session)

    # As Rasa does: load the current session, add the turn's events, save.
    current = await rasa_store.retrieve("conv-3")
    assert current is not None
    current.update(BotUttered("Hello!", timestamp=later + 1))
    await rasa_store.save(current)
    current = await ours.retrieve("conv-3")
    assert current is not None
    current.update(ActionExecuted("action_listen", timestamp=later + 1))
    await ours.save(current)
    await ours.save(current)

    latest = await ours.retrieve("conv-3")
    assert events(latest) == events(await rasa_store.retrieve("conv-3")) == events(current)
    assert [e.type_name for e in current.events] == [
        "action", "session_started", "action", "user", "bot", "action"
    ]  # fmt: skip
    full = await ours.retrieve_full_tracker("conv-3")
    assert events(full) == events(await rasa_store.retrieve_full_tracker("conv-3"))
    assert len(full.events) == 5 + 6
    for store in (ours, rasa_store):
        store.engine.dispose()


async def test_the_rows_written_are_the_rows_rasa_s_store_writes(
    tmp_path, rasa_domain, rasa_conversation
):
    """Every column (type, intent, action, timestamp, data) as Rasa's own store fills it."""
    tracker = rasa_conversation("conv-rows")
    stores = [
        SQLiteTrackerStore(rasa_domain, db=str(tmp_path / "ours.db")),
        SQLTrackerStore(rasa_domain, dialect="sqlite", db=str(tmp_path / "rasa.db")),
    ]
    rows = []
    for store, name in zip(stores, ("ours.db", "rasa.db"), strict=True):
        await store.save(tracker)
        store.engine.dispose()
        with sqlite3.connect(tmp_path / name) as connection:
            rows.append(
                connection.execute(
                    "SELECT sender_id, type_name, timestamp, intent_name, action_name, data"
                    " FROM events ORDER BY id"
                ).fetchall()
            )
    assert rows[0] == rows[1]
    assert ("user", "track_order", None) in [(r[1], r[3], r[4]) for r in rows[0]]


def test_another_dialect_is_refused_with_a_pointer_to_the_sql_store(db, rasa_domain):
    """Asking it for PostgreSQL fails loudly instead of writing to SQLite."""
    with pytest.raises(ValueError, match="type: SQL"):
        SQLiteTrackerStore(rasa_domain, dialect="postgresql", db=db)


async def test_the_tracker_just_saved_is_kept_for_the_channel_and_taken_once(
    db, rasa_domain, rasa_conversation
):
    """Through Rasa's own wrapper, as the REST channel sees the store."""
    from rasa.core.tracker_store import AwaitableTrackerStore

    store = SQLiteTrackerStore(rasa_domain, db=db)
    wrapped = AwaitableTrackerStore(store)
    tracker = rasa_conversation("conv-kept")
    await wrapped.save(tracker)
    assert store.take_saved("conv-kept") is tracker
    assert store.take_saved("conv-kept") is None
    store.engine.dispose()
