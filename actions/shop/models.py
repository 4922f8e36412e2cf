"""The shop's typed records and its error tree.

ShopError
├── NotFound          no such customer / order (InvalidOrderId: not even an order id)
├── NotAllowed        the change is not possible in the record's current state
└── NotEligible       the request does not meet the policy (e.g. return window)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

ORDER_STATUSES = ("placed", "shipped", "delivered", "returned", "cancelled")
RETURN_STATUSES = ("requested", "received", "refunded", "rejected")
REFUND_METHODS = ("original_payment", "store_credit")
# A refund to the original payment method has reached it within this many days.
REFUND_DAYS = 5

_ORDER_ID_RE = re.compile(r"^\s*(?:nw)?[\s-]*(\d{5})\s*$", re.IGNORECASE)
_CUSTOMER_ID_RE = re.compile(r"^\s*c(\d{4,})\s*$", re.IGNORECASE)


class ShopError(Exception):
    """Base class for every error the shop raises on purpose."""


class NotFound(ShopError):
    """The customer, order or return does not exist."""


class InvalidOrderId(NotFound):
    """The text is not an order id at all (so it cannot be found either)."""


class NotAllowed(ShopError):
    """The change is not possible in the record's current state."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotEligible(ShopError):
    """The request does not meet the shop's policy."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refund_due(day: date, refund_method: str) -> date:
    """When a refund made on ``day`` has arrived: store credit at once, a payment in days."""
    return day if refund_method == "store_credit" else day + timedelta(days=REFUND_DAYS)


def normalise_order_id(raw: str) -> str:
    """``"nw 10007"``, ``"NW10007"``, ``"10007"`` → ``"NW-10007"``; anything else is invalid."""
    match = _ORDER_ID_RE.match(raw) if isinstance(raw, str) else None
    if not match:
        raise InvalidOrderId(f"{raw!r} is not an order id (expected NW- and 5 digits)")
    return f"NW-{match.group(1)}"


def normalise_customer_id(raw: str) -> str:
    """``"c1001"`` → ``"C1001"``; anything else is not found."""
    match = _CUSTOMER_ID_RE.match(raw) if isinstance(raw, str) else None
    if not match:
        raise NotFound(f"{raw!r} is not a customer id (expected C and digits)")
    return f"C{match.group(1)}"


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    return value


class _JsonRecord:
    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict: money as "12.50" strings, dates as ISO strings."""
        return _json_safe(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class Customer(_JsonRecord):
    id: str
    name: str
    email: str
    phone: str
    address: str
    store_credit: Decimal


@dataclass(frozen=True)
class Item(_JsonRecord):
    sku: str
    name: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Order(_JsonRecord):
    id: str
    customer_id: str
    status: str
    placed_on: date
    total: Decimal
    items: tuple[Item, ...]
    shipping_address: str
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    shipped_on: date | None = None
    delivered_on: date | None = None
    cancelled_on: date | None = None


@dataclass(frozen=True)
class Return(_JsonRecord):
    id: str
    order_id: str
    status: str
    reason: str
    requested_on: date
    refund_amount: Decimal
    refund_method: str
    updated_on: date


@dataclass(frozen=True)
class Cancellation(_JsonRecord):
    """An order cancelled before it shipped, and the refund of its total that came with it."""

    order_id: str
    cancelled_on: date
    refund_amount: Decimal
    refund_method: str
    refund_by: date  # the day the refund has reached the payment method at the latest
