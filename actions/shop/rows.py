"""Database rows of the shop turned into its model objects (the one place columns are named)."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from .models import Cancellation, Customer, Item, Order, Return


def day(value: str | None) -> date | None:
    """An ISO date column that may be empty."""
    return date.fromisoformat(value) if value else None


def customer(row: sqlite3.Row) -> Customer:
    return Customer(
        row["id"],
        row["name"],
        row["email"],
        row["phone"],
        row["address"],
        Decimal(row["store_credit"]),
    )


def order(conn: sqlite3.Connection, row: sqlite3.Row) -> Order:
    """The order in ``row`` with its items, read on the same connection."""
    items = tuple(
        Item(i["sku"], i["name"], i["quantity"], Decimal(i["unit_price"]))
        for i in conn.execute(
            "SELECT * FROM order_items WHERE order_id=? ORDER BY rowid", (row["id"],)
        )
    )
    return Order(
        id=row["id"],
        customer_id=row["customer_id"],
        status=row["status"],
        placed_on=date.fromisoformat(row["placed_on"]),
        total=Decimal(row["total"]),
        items=items,
        shipping_address=row["shipping_address"],
        carrier=row["carrier"],
        tracking_number=row["tracking_number"],
        eta=day(row["eta"]),
        shipped_on=day(row["shipped_on"]),
        delivered_on=day(row["delivered_on"]),
        cancelled_on=day(row["cancelled_on"]),
    )


def return_(row: sqlite3.Row) -> Return:
    return Return(
        row["id"],
        row["order_id"],
        row["status"],
        row["reason"],
        date.fromisoformat(row["requested_on"]),
        Decimal(row["refund_amount"]),
        row["refund_method"],
        date.fromisoformat(row["updated_on"]),
    )


def cancellation(row: sqlite3.Row) -> Cancellation:
    return Cancellation(
        row["order_id"],
        date.fromisoformat(row["cancelled_on"]),
        Decimal(row["refund_amount"]),
        row["refund_method"],
        date.fromisoformat(row["refund_by"]),
    )
