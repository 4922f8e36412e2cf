"""Opening a database applies the migrations it lacks, records them, and keeps its data."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from pgutil import POSTGRES_URL, SKIP_POSTGRES, drop_postgres, fresh_postgres_url, needs_postgres

from handoff.store import StoreError, open_store
from handoff.store.migrations import applied_versions, migrate
from handoff.store.schema import MIGRATIONS, Migration

# The tables exactly as the service created them before migrations were recorded.
FIXTURES = Path(__file__).parent / "fixtures"
BEFORE_MIGRATIONS = (FIXTURES / "tables_before_migrations.sql").read_text()
# The first release lacked what later builds created in new databases only: three columns,
# an index and two tables.
LATER = (
    "    relayed_seq INTEGER NOT NULL DEFAULT 0,\n",
    "    languages TEXT NOT NULL DEFAULT '[\"en\"]',\n",
    ",\n    customer_id TEXT",
    "CREATE INDEX IF NOT EXISTS messages_sender ON messages (sender, ts);\n",
)
# Two tables came last; everything from their comment on is later too.
FIRST_RELEASE = BEFORE_MIGRATIONS.split("-- What the customer actually wanted")[0]
for addition in LATER:
    assert addition in FIRST_RELEASE, addition
    FIRST_RELEASE = FIRST_RELEASE.replace(addition, "")
TYPES = {
    "sqlite": {"REAL": "REAL", "SERIAL": "INTEGER PRIMARY KEY"},
    "postgresql": {"REAL": "DOUBLE PRECISION", "SERIAL": "BIGSERIAL PRIMARY KEY"},
}
ALL_VERSIONS = [m.version for m in MIGRATIONS]
# Rows an old database holds: a conversation five messages in, a customer message, an agent.
ROWS = (
    "INSERT INTO conversations (id, resume_token, owner, last_seq, created_at, updated_at)"
    " VALUES ('c1', 'r1', 'bot', 5, 1.0, 2.0)",
    "INSERT INTO messages (conversation_id, seq, kind, sender, body, ts)"
    " VALUES ('c1', 5, 'message', 'customer', '{\"text\": \"where is NW-10007\"}', 2.0)",
    "INSERT INTO agents (id, name, teams, capacity, password_hash, created_at)"
    " VALUES ('a1', 'Noor', '[\"orders\"]', 3, 'scrypt$x', 1.0)",
    "INSERT INTO handoffs (handoff_id, conversation_id, body, response, created_at)"
    " VALUES ('c1:5', 'c1', '{\"topic\": \"orders\"}', '{\"position\": 1}', 2.0)",
)


class Database:
    """A database on one engine, written to directly (as an older build would have)."""

    def __init__(self, dialect: str, url: str) -> None:
        self.dialect, self.url = dialect, url

    async def run(self, *statements: str) -> None:
        if self.dialect == "sqlite":
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                for statement in statements:
                    db.executescript(statement)
            return
        import asyncpg

        conn = await asyncpg.connect(self.url)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    async def create(self, ddl: str) -> None:
        await self.run(ddl.format(**TYPES[self.dialect]), *ROWS)

    async def indexes(self) -> set[str]:
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            if self.dialect == "sqlite"
            else "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname NOT LIKE '%_pkey'"
        )
        store = open_store(self.url)
        await store.driver.open()
        try:
            async with store.driver.transaction() as tx:
                return {row["name"] for row in await tx.fetchall(sql)}
        finally:
            await store.driver.close()

    async def columns(self) -> dict[str, set[tuple[str, str, bool, str | None]]]:
        """Every table's columns as (name, type, not null, default)."""
        store = open_store(self.url)
        await store.driver.open()
        try:
            async with store.driver.transaction() as tx:
                if self.dialect == "sqlite":
                    tables = await tx.fetchall(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                        " AND name <> 'schema_migrations'"
                    )
                    found = {}
                    for table in tables:
                        rows = await tx.fetchall(
                            "SELECT * FROM pragma_table_info(?)", table["name"]
                        )
                        found[table["name"]] = {
                            (r["name"], r["type"], bool(r["notnull"]), r["dflt_value"])
                            for r in rows
                        }
                    return found
                rows = await tx.fetchall(
                    "SELECT table_name, column_name, data_type, is_nullable, column_default"
                    " FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name <> 'schema_migrations'"
                )
        finally:
            await store.driver.close()
        by_table: dict[str, set[tuple[str, str, bool, str | None]]] = {}
        for r in rows:
            by_table.setdefault(r["table_name"], set()).add(
                (r["column_name"], r["data_type"], r["is_nullable"] == "NO", r["column_default"])
            )
        return by_table


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[needs_postgres, pytest.mark.postgres])]
)
async def empty(request, tmp_path):
    """An empty database on each engine, as a factory (some tests need two)."""
    made: list[str] = []

    async def make(name: str = "db") -> Database:
        if request.param == "sqlite":
            return Database("sqlite", f"sqlite:///{tmp_path}/{name}.db")
        url, schema = await fresh_postgres_url()
        made.append(schema)
        return Database("postgresql", url)

    yield make
    for schema in made:
        await drop_postgres(schema)


async def opened(database: Database):
    store = open_store(database.url)
    await store.open()
    return store


async def test_a_database_created_by_the_schema_before_migrations_upgrades_and_keeps_its_data(
    empty,
):
    """Today's tables get every migration recorded, no column changed, every row kept."""
    database = await empty()
    await database.create(BEFORE_MIGRATIONS)
    before = await database.columns()
    store = await opened(database)
    try:
        assert await applied_versions(store.driver) == ALL_VERSIONS
        assert (await store.get_conversation("c1"))["last_seq"] == 5
        assert [m["body"]["text"] for m in await store.history("c1")] == ["where is NW-10007"]
        assert (await store.get_agent("a1"))["teams"] == ["orders"]
        assert (await store.get_handoff("c1:5"))["response"] == {"position": 1}
    finally:
        await store.close()
    after = await database.columns()
    assert all(before[table] <= after[table] for table in before)  # nothing changed or lost
    added = {t: {c[0] for c in after[t] - before.get(t, set())} for t in after}
    # What the migrations since that schema add: outcomes and turns, csat.part, agents.role.
    new_tables = ("outcomes", "turns")
    assert {t: c for t, c in added.items() if c and t not in new_tables} == {
        "csat": {"part"},
        "agents": {"role"},
    }
    assert {"ending", "final", "recontact_of", "bot_rating"} <= added["outcomes"]
    assert {"seq", "intent", "goal"} <= added["turns"]


async def test_a_first_release_database_gains_the_columns_it_lacked(empty):
    """relayed_seq, languages and customer_id are added with values true for the old rows."""
    database = await empty()
    await database.create(FIRST_RELEASE)
    store = await opened(database)
    try:
        conversation = await store.get_conversation("c1")
        assert (conversation["last_seq"], conversation["relayed_seq"]) == (5, 5)
        # Nothing stored before the upgrade is relayed to the assistant again.
        assert await store.unrelayed("c1") == []
        assert (await store.get_agent("a1"))["languages"] == ["en"]
        assert (await store.get_handoff("c1:5"))["response"] == {"position": 1}
        assert await applied_versions(store.driver) == ALL_VERSIONS
    finally:
        await store.close()


async def test_a_fresh_database_gets_the_same_tables_as_the_schema_before_migrations(empty):
    """Migrations from nothing and the old tables plus migrations end in the same columns."""
    fresh, old = await empty("fresh"), await empty("old")
    await opened_and_closed(fresh)
    await old.create(BEFORE_MIGRATIONS)
    await opened_and_closed(old)
    assert await fresh.columns() == await old.columns()
    assert await fresh.indexes() == await old.indexes()
    assert "messages_sender" in await fresh.indexes()


async def opened_and_closed(database: Database) -> None:
    store = await opened(database)
    await store.close()


async def test_a_second_start_applies_nothing(empty):
    """Each migration runs once; a later start finds them all recorded."""
    database = await empty()
    await opened_and_closed(database)
    store = open_store(database.url)
    await store.driver.open()
    try:
        assert await migrate(store.driver) == []
        assert await applied_versions(store.driver) == ALL_VERSIONS
    finally:
        await store.close()


async def test_a_database_from_a_newer_build_is_refused(empty):
    """An unknown migration number means a newer build wrote the database: do not guess."""
    database = await empty()
    await opened_and_closed(database)
    await database.run(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)"
    )
    store = open_store(database.url)
    with pytest.raises(StoreError, match="migration 99"):
        await store.open()
    await store.close()


async def test_a_failing_migration_leaves_nothing_applied(empty):
    """All pending migrations commit together or not at all."""
    database = await empty()
    good = Migration(1, "table t", ddl="CREATE TABLE t (a INTEGER)")
    broken = Migration(2, "broken", ddl="CREATE TABLE broken (")
    store = open_store(database.url)
    await store.driver.open()
    try:
        with pytest.raises(StoreError):
            await migrate(store.driver, (good, broken))
        assert await migrate(store.driver, (good,)) == [1]
    finally:
        await store.close()


@needs_postgres
async def test_two_services_starting_together_migrate_once():
    """The second service waits for the first one's migrations and then has nothing to do."""
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES)
    url, schema = await fresh_postgres_url()
    stores = [open_store(url), open_store(url)]
    try:
        for store in stores:
            await store.driver.open()
        done = await asyncio.gather(*(migrate(store.driver) for store in stores))
        assert sorted(done) == [[], ALL_VERSIONS]
        assert await applied_versions(stores[0].driver) == ALL_VERSIONS
    finally:
        for store in stores:
            await store.close()
        await drop_postgres(schema)
