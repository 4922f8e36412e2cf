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


async def drop_postgres(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        await admin.close()
