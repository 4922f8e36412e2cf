"""What recognises a returning customer without keeping what they typed: a hash of their
email (trimmed, lower-cased) and a normalised order reference. Standard library only: the
assistant and the handoff service both use it."""

from __future__ import annotations

import hashlib
import re

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ORDER = re.compile(r"^(?:NW-?)?(\d{4,10})$", re.IGNORECASE)


def email_hash(email: str | None) -> str | None:
    """sha256 of the normalised address, or None when it is not an email address."""
    if not email:
        return None
    normalised = email.strip().lower()
    if not _EMAIL.match(normalised):
        return None
    return hashlib.sha256(normalised.encode()).hexdigest()


def order_ref(order: str | None) -> str | None:
    """An order number in one spelling ("nw 10007", "NW-10007", "10007" -> "NW-10007")."""
    if not order:
        return None
    found = _ORDER.match(re.sub(r"[\s_]", "", order.strip()))
    return f"NW-{found.group(1)}" if found else None
