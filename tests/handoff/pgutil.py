"""PostgreSQL for tests: the server from HANDOFF_TEST_POSTGRES_URL, one fresh schema per test."""

from __future__ import annotations

import os
import uuid

import pytest

POSTGRES_URL = os.environ.get("HANDOFF_TEST_POSTGRES_URL") or os.environ.get("NW_TEST_POSTGRES_URL")
SKIP_POSTGRES = "set HANDOFF_TEST_POSTGRES_URL (scripts/services.sh start prints it) to run these"
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason=SKIP_POSTGRES,
)


async def fresh_postgres_url() -> tuple[str, str]:
    """An empty schema for one test (cheaper than a database); returns (url, schema)."""
    import asyncpg

    name = "handoff_" + uuid.uuid4().hex[:12]
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'CREATE SCHEMA "{name}"')
    finally:
        await admin.close()
    # asyncpg passes unknown URL parameters on as server settings.
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}search_path={name}", name


# A schema whose tables a connection still holds (one a store failed to close, inside a
# transaction) cannot be dropped: DROP SCHEMA would wait for it for ever. After this long the
# test fails instead, naming what held it.
DROP_LOCK_TIMEOUT = "15s"


async def drop_postgres(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f"SET lock_timeout = '{DROP_LOCK_TIMEOUT}'")
        try:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            return
        except asyncpg.exceptions.LockNotAvailableError:
            holders = await admin.fetch(
                """SELECT DISTINCT a.pid, a.state, a.application_name, a.query,
                          now() - a.xact_start AS in_transaction
                   FROM pg_locks l
                   JOIN pg_class c ON c.oid = l.relation
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   JOIN pg_stat_activity a ON a.pid = l.pid
                   WHERE n.nspname = $1 AND a.pid <> pg_backend_pid()""",
                name,
            )
            for row in holders:
                await admin.execute("SELECT pg_terminate_backend($1)", row["pid"])
            await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        raise AssertionError(
            f"schema {name} was still held after the test by: "
            + "; ".join(
                f"pid {r['pid']} {r['state']} for {r['in_transaction']} ({r['query']!r})"
                for r in holders
            )
        )
    finally:
        await admin.close()
