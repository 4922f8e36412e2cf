"""Shared fixtures: stores on both databases, settings, a fake Rasa and a running app."""

from __future__ import annotations

import os
import uuid

import pytest

from handoff.store import Store, open_store

POSTGRES_URL = os.environ.get("HANDOFF_TEST_POSTGRES_URL") or os.environ.get("NW_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="set HANDOFF_TEST_POSTGRES_URL (scripts/services.sh start prints it) to run against PostgreSQL",
)


async def fresh_postgres_url() -> tuple[str, str]:
    """Create an empty database for one test; returns (url, name)."""
    import asyncpg

    name = "handoff_" + uuid.uuid4().hex[:12]
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{name}", name


async def drop_postgres(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[needs_postgres, pytest.mark.postgres])])
async def store(request, tmp_path):
    if request.param == "sqlite":
        s = open_store(f"sqlite:///{tmp_path}/store.db")
        await s.open()
        yield s
        await s.close()
        return
    url, name = await fresh_postgres_url()
    s = open_store(url)
    await s.open()
    yield s
    await s.close()
    await drop_postgres(name)


@pytest.fixture
async def pg_url():
    """The URL of an empty PostgreSQL database, dropped after the test."""
    if not POSTGRES_URL:
        pytest.skip("set HANDOFF_TEST_POSTGRES_URL (scripts/services.sh start prints it) to run against PostgreSQL")
    url, name = await fresh_postgres_url()
    yield url
    await drop_postgres(name)


@pytest.fixture
async def sqlite_store(tmp_path) -> Store:
    s = open_store(f"sqlite:///{tmp_path}/store.db")
    await s.open()
    yield s
    await s.close()
