"""Bring a database's schema up to date on start: apply the migrations it has not had.

``schema_migrations`` holds one row per applied migration (version, name, time). All pending
migrations and their rows are written in one transaction, so a start that fails leaves the
database as it was; on PostgreSQL a transaction-scoped advisory lock makes a second service
starting at the same moment wait and then find nothing left to do. A database that has a
migration this build does not know was written by a newer build and is refused.
"""

from __future__ import annotations

import time

from handoff.store.drivers import PostgresDriver, SqliteDriver, Tx
from handoff.store.errors import StoreError
from handoff.store.schema import MIGRATIONS, Migration

RECORD_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at {REAL} NOT NULL
)"""
LOCK_SQL = (
    "SELECT pg_advisory_xact_lock("
    "hashtextextended('handoff-migrations:' || current_database() || '/' || current_schema(), 0))"
)


async def _has_column(tx: Tx, dialect: str, table: str, column: str) -> bool:
    if dialect == "postgresql":
        row = await tx.fetchone(
            "SELECT 1 AS found FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?",
            table,
            column,
        )
        return row is not None
    rows = await tx.fetchall("SELECT name FROM pragma_table_info(?)", table)
    return column in {row["name"] for row in rows}


async def _apply(tx: Tx, dialect: str, migration: Migration) -> None:
    for statement in migration.statements(dialect):
        await tx.execute(statement)
    if migration.add_column is not None:
        table, column, definition = migration.add_column
        if not await _has_column(tx, dialect, table, column):
            await tx.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            if migration.backfill:
                await tx.execute(migration.backfill)


async def migrate(
    driver: SqliteDriver | PostgresDriver, migrations: tuple[Migration, ...] = MIGRATIONS
) -> list[int]:
    """Apply the migrations the database lacks, in order; returns the versions applied."""
    dialect = driver.dialect
    known = {m.version for m in migrations}
    async with driver.transaction() as tx:
        if dialect == "postgresql":
            await tx.fetchone(LOCK_SQL)
        await tx.execute(
            RECORD_TABLE.format(REAL="REAL" if dialect == "sqlite" else "DOUBLE PRECISION")
        )
        applied = {
            row["version"] for row in await tx.fetchall("SELECT version FROM schema_migrations")
        }
        unknown = sorted(applied - known)
        if unknown:
            raise StoreError(
                f"the database has schema migration {unknown[-1]}, newer than this build's"
                f" {max(known)}: run a build at least as new"
            )
        done = []
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version in applied:
                continue
            await _apply(tx, dialect, migration)
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                migration.version,
                migration.name,
                time.time(),
            )
            done.append(migration.version)
    return done


async def applied_versions(driver: SqliteDriver | PostgresDriver) -> list[int]:
    """The migrations recorded in the database, in order."""
    async with driver.transaction() as tx:
        rows = await tx.fetchall("SELECT version FROM schema_migrations ORDER BY version")
    return [row["version"] for row in rows]
