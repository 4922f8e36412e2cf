"""Rasa's production stores keep conversations across restarts and serialise each conversation.

These use Rasa's own ``SQLTrackerStore`` on a real PostgreSQL server and ``RedisLockStore`` on
a real Redis server (``scripts/services.sh start`` provides both on loopback and exports
``NW_TEST_POSTGRES_URL`` and ``NW_TEST_REDIS_URL``).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from urllib.parse import urlparse

import pytest

POSTGRES_URL = os.environ.get("NW_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("NW_TEST_REDIS_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="NW_TEST_POSTGRES_URL is not set (run scripts/services.sh start)"
)
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="NW_TEST_REDIS_URL is not set (run scripts/services.sh start)"
)


@pytest.fixture
def postgres_db():
    """A fresh database name on the test server, dropped afterwards."""
    import sqlalchemy as sa

    url = urlparse(POSTGRES_URL)
    name = f"rasa_test_{uuid.uuid4().hex[:10]}"
    settings = {
        "dialect": "postgresql",
        "host": url.hostname,
        "port": url.port or 5432,
        "username": url.username,
        "password": url.password,
        "db": name,
        "login_db": url.path.lstrip("/") or "postgres",
    }
    yield settings
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


@pytest.mark.postgres
@needs_postgres
async def test_a_tracker_saved_by_one_store_is_read_back_by_another(
    rasa_domain, rasa_conversation, postgres_db
):
    """A restarted (or second) Rasa instance sees the whole conversation from PostgreSQL."""
    from rasa.core.tracker_store import SQLTrackerStore

    writer = SQLTrackerStore(rasa_domain, **postgres_db)
    tracker = rasa_conversation("conv-restart")
    await writer.save(tracker)
    writer.engine.dispose()  # the first instance goes away

    reader = SQLTrackerStore(rasa_domain, **postgres_db)
    try:
        restored = await reader.retrieve("conv-restart")
        assert restored is not None
        assert [e.as_dict() for e in restored.events] == [e.as_dict() for e in tracker.events]
        assert restored.get_slot("order_id") == "NW-10007"
        assert restored.latest_message.parse_data["sentiment"] == {"compound": -0.2}
        assert "conv-restart" in set(await reader.keys())
    finally:
        reader.engine.dispose()


@pytest.mark.postgres
@needs_postgres
async def test_events_appended_by_two_instances_all_survive(
    rasa_domain, rasa_conversation, postgres_db
):
    """Instance B continues a conversation instance A started; nothing is lost or duplicated."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import BotUttered

    first, second = (
        SQLTrackerStore(rasa_domain, **postgres_db),
        SQLTrackerStore(rasa_domain, **postgres_db),
    )
    try:
        await first.save(rasa_conversation("conv-shared"))
        continued = await second.retrieve("conv-shared")
        continued.update(BotUttered("Anything else?"))
        await second.save(continued)
        final = await first.retrieve("conv-shared")
        assert [e.as_dict() for e in final.events] == [e.as_dict() for e in continued.events]
        assert len(final.events) == 6
    finally:
        first.engine.dispose()
        second.engine.dispose()


def redis_lock_store(prefix):
    from rasa.core.lock_store import RedisLockStore

    url = urlparse(REDIS_URL)
    return RedisLockStore(
        host=url.hostname,
        port=url.port or 6379,
        db=int(url.path.lstrip("/") or 0),
        password=url.password,
        key_prefix=prefix,
    )


async def hold(store, conversation_id, seconds, spans, name):
    async with store.lock(conversation_id, lock_lifetime=10, wait_time_in_seconds=0.02):
        start = time.monotonic()
        await asyncio.sleep(seconds)
        spans[name] = (start, time.monotonic())


@needs_redis
async def test_two_lock_store_clients_serialise_the_same_conversation():
    """While one instance handles a message, another instance's message for it waits."""
    prefix = f"nwtest{uuid.uuid4().hex[:8]}"
    a, b = redis_lock_store(prefix), redis_lock_store(prefix)
    spans: dict[str, tuple[float, float]] = {}
    first = asyncio.create_task(hold(a, "conv-1", 0.3, spans, "a"))
    await asyncio.sleep(0.05)  # a holds the lock now
    await hold(b, "conv-1", 0.0, spans, "b")
    await first
    assert spans["b"][0] >= spans["a"][1]


@needs_redis
async def test_different_conversations_do_not_wait_for_each_other():
    """Locks are per conversation, so two conversations proceed in parallel."""
    prefix = f"nwtest{uuid.uuid4().hex[:8]}"
    a, b = redis_lock_store(prefix), redis_lock_store(prefix)
    spans: dict[str, tuple[float, float]] = {}
    first = asyncio.create_task(hold(a, "conv-1", 0.3, spans, "a"))
    await asyncio.sleep(0.05)
    await hold(b, "conv-2", 0.0, spans, "b")
    await first
    assert spans["b"][1] < spans["a"][1]


@needs_redis
async def test_the_lock_is_released_after_the_message_is_handled():
    """Once handled, the conversation's lock is gone from Redis."""
    prefix = f"nwtest{uuid.uuid4().hex[:8]}"
    store = redis_lock_store(prefix)
    async with store.lock("conv-3", lock_lifetime=10, wait_time_in_seconds=0.02):
        assert store.get_lock("conv-3") is not None
    assert store.get_lock("conv-3") is None
