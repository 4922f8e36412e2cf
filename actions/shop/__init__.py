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
    "RETURN_WINDOW_DAYS",
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
]
