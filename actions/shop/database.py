"""The shop's SQLite file: where it is, opening it, and seeding it once on first use.

Each call opens its own short connection, so one ``Shop`` can be shared by concurrent actions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from .seed import SCHEMA, write_seed


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection whose transaction commits on success and rolls back on error."""
    conn = sqlite3.connect(path, timeout=5.0)
    conn.row_factory = sqlite3.Row
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def ensure_seeded(path: Path, today: date) -> bool:
    """Create and seed the database unless it already exists; True if it was seeded now."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    try:
        conn.executescript(SCHEMA)
        # IMMEDIATE takes the write lock before looking, so two processes starting at
        # once cannot both decide to seed.
        conn.execute("BEGIN IMMEDIATE")
        try:
            seeded = conn.execute("SELECT value FROM meta WHERE key='anchor'").fetchone()
            if seeded is None:
                write_seed(conn, today)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
    return seeded is None
