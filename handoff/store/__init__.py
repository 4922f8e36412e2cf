"""Persistence: one `Store` interface over SQLite (default) or PostgreSQL.

Error tree::

    StoreError        the database refused or is unreachable
    └── Conflict      an ownership change lost a compare-and-set race
"""

from handoff.store.errors import Conflict, StoreError
from handoff.store.store import Store, open_store

__all__ = ["Conflict", "Store", "StoreError", "open_store"]
