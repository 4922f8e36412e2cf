"""Rasa's SQL tracker store on SQLite, tuned for one message after another.

Rasa's ``type: SQL`` store opens SQLite in its default rollback-journal mode, a new database
connection for every query, and builds its queries with the ORM on every message: the store
was about a third of the assistant's time per message (docs/benchmarks.md). This one keeps
Rasa's tables, events and semantics, and changes how it gets there:

- **WAL mode**: a commit is one append and one fsync instead of a journal file created, synced
  and deleted. ``synchronous=FULL`` is kept, so a saved turn survives a power loss as before.
- **Pooled connections** (Rasa's engine uses SQLAlchemy's NullPool for SQLite files).
- **Two plain SQL statements** for reading the current session and counting what is stored,
  the same conditions as Rasa's ORM query (events since the latest ``session_started``).
- **Saving off the event loop**: the new events are written, and the fsync waited for, on the
  store's own thread, so the worker serves other conversations meanwhile (Rasa's lock store
  keeps this conversation's next message waiting until the save is done).
- **The tracker just saved is kept** (a few, per worker) for the REST channel, which reads the
  turn's facts from it (assistant/turn_channel.py) instead of loading the conversation again.

A file written by either store reads in the other. endpoints.yml::

    tracker_store:
      type: assistant.tracker_store.SQLiteTrackerStore
      db: ${NW_TRACKER_DB}
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# The events of the latest session (or all, when none started), as Rasa's `_event_query`.
_SESSION = (
    "WITH s AS (SELECT max(timestamp) AS start FROM events"
    " WHERE sender_id = :sender_id AND type_name = :started)"
    " SELECT {columns} FROM events, s WHERE events.sender_id = :sender_id"
    " AND (events.timestamp >= s.start OR s.start IS NULL)"
)
SESSION_EVENTS = sa.text(_SESSION.format(columns="events.data") + " ORDER BY events.id")
SESSION_COUNT = sa.text(_SESSION.format(columns="count(*)"))
# Trackers kept after a save until the REST channel takes them: one per message in flight.
KEPT_SAVED = 64
INSERT_EVENT = sa.text(
    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
    " VALUES (:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)"
)


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


class SQLiteTrackerStore(SQLTrackerStore):
    """The SQL tracker store on SQLite (WAL, pooled connections); ``db`` is the file."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "rasa.db",
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("dialect", "sqlite") != "sqlite":
            raise ValueError(
                "SQLiteTrackerStore only stores in SQLite; for another database use "
                "Rasa's `type: SQL` store (docs/production.md)"
            )
        for ignored in ("dialect", "host", "url"):
            kwargs.pop(ignored, None)
        super().__init__(
            domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs
        )
        url = self.engine.url
        self.engine.dispose()
        # Rasa calls the store from its event loop's thread; the pool may hand a connection
        # to another thread only between uses, never during one.
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
        )
        sa.event.listen(self.engine, "connect", _pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._writer: ThreadPoolExecutor | None = None
        self._saved: OrderedDict[str, DialogueStateTracker] = OrderedDict()
        with self.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
        if str(mode).lower() != "wal":
            raise RuntimeError(f"SQLite refused WAL mode for {db!r} (journal_mode={mode})")

    def _parameters(self, sender_id: str) -> dict[str, str]:
        return {"sender_id": sender_id, "started": SessionStarted.type_name}

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            rows = session.execute(SESSION_EVENTS, self._parameters(sender_id)).all()
        events = [json.loads(data) for (data,) in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = session.execute(SESSION_COUNT, self._parameters(tracker.sender_id)).scalar()
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the events Rasa has not stored yet, as Rasa's `save`, off the event loop."""
        await self.stream_events(tracker)
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="tracker-store")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._writer, self._save_new_events, tracker)
        self._saved[tracker.sender_id] = tracker
        self._saved.move_to_end(tracker.sender_id)
        while len(self._saved) > KEPT_SAVED:
            self._saved.popitem(last=False)

    def take_saved(self, sender_id: str) -> DialogueStateTracker | None:
        """The tracker this process saved last for the sender, once; None if there is none."""
        return self._saved.pop(sender_id, None)

    def _save_new_events(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            rows = []
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                rows.append(
                    {
                        "sender_id": tracker.sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": (data.get("parse_data", {}).get("intent", {})).get(
                            INTENT_NAME_KEY
                        ),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                session.execute(INSERT_EVENT, rows)
            session.commit()
