"""The store's errors::

StoreError        the database refused or is unreachable
└── Conflict      an ownership change lost a compare-and-set race
"""


class StoreError(Exception):
    """The database refused or is unreachable."""


class Conflict(StoreError):
    """The conversation changed owner under us (another instance won)."""
