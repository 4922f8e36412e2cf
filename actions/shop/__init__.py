"""The Northwind Goods demo shop: customers, orders and returns in an embedded SQLite file."""

from .models import (
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
)
from .store import RETURN_WINDOW_DAYS, Shop, default_path

__all__ = [
    "Customer",
    "InvalidOrderId",
    "Item",
    "NotAllowed",
    "NotEligible",
    "NotFound",
    "Order",
    "RETURN_WINDOW_DAYS",
    "Return",
    "Shop",
    "ShopError",
    "default_path",
    "normalise_order_id",
]
