"""The Northwind Goods demo shop: customers, orders and returns in an embedded SQLite file."""

from .models import (
    REFUND_DAYS,
    Cancellation,
    Customer,
    InvalidOrderId,
    Item,
    NotAllowed,
    NotEligible,
    NotFound,
    Order,
    Return,
    ShopError,
    normalise_order_id,
    refund_due,
)
from .store import RETURN_WINDOW_DAYS, Shop, default_path

__all__ = [
    "REFUND_DAYS",
    "RETURN_WINDOW_DAYS",
    "Cancellation",
    "Customer",
    "InvalidOrderId",
    "Item",
    "NotAllowed",
    "NotEligible",
    "NotFound",
    "Order",
    "Return",
    "Shop",
    "ShopError",
    "default_path",
    "normalise_order_id",
    "refund_due",
]
