"""The shop backend: what the actions ask of the demo shop and the changes they make.

Reads and changes are methods of ``Shop``; the database file and its seeding live in
database.py, the mapping of rows to models in rows.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from actions.settings import Settings

from . import rows
from .database import connect, ensure_seeded
from .models import (
    REFUND_METHODS,
    Cancellation,
    Customer,
    NotAllowed,
    NotEligible,
    NotFound,
    Order,
    Return,
    normalise_customer_id,
    normalise_order_id,
    refund_due,
)

RETURN_WINDOW_DAYS = 30


def default_path() -> Path:
    """``NW_SHOP_DB`` if set, else ``var/shop.db`` relative to the working directory."""
    return Settings.from_env().shop_db


def _today_utc() -> date:
    return datetime.now(timezone.utc).date()


class Shop:
    """Customers, orders and returns of Northwind Goods.

    ``today`` returns the current date (injectable so tests and seeding agree on "now").
    """

    def __init__(
        self, path: str | Path | None = None, today: Callable[[], date] = _today_utc
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.today = today
        self._ready = False

    # -- plumbing -------------------------------------------------------------------------
    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.ensure_seeded()
        with connect(self.path) as conn:
            yield conn

    def ensure_seeded(self) -> bool:
        """Create and seed the database unless it already exists; True if it was seeded now."""
        seeded = ensure_seeded(self.path, self.today())
        self._ready = True
        return seeded

    def reseed(self) -> None:
        """Drop everything and seed again relative to today (demo dates stay sensible)."""
        if self.path.exists():
            self.path.unlink()
        self._ready = False
        self.ensure_seeded()

    # -- reading --------------------------------------------------------------------------
    def customer(self, customer_id: str) -> Customer:
        cid = normalise_customer_id(customer_id)
        with self._db() as conn:
            row = conn.execute("SELECT * FROM customers WHERE id=?", (cid,)).fetchone()
        if row is None:
            raise NotFound(f"no customer {cid}")
        return rows.customer(row)

    def customer_by_email(self, email: str) -> Customer:
        with self._db() as conn:
            row = conn.execute(
                "SELECT * FROM customers WHERE email=?", ((email or "").strip(),)
            ).fetchone()
        if row is None:
            raise NotFound("no customer with that email")
        return rows.customer(row)

    def order(self, order_id: str) -> Order:
        oid = normalise_order_id(order_id)
        with self._db() as conn:
            row = conn.execute("SELECT * FROM orders WHERE id=?", (oid,)).fetchone()
            if row is None:
                raise NotFound(f"no order {oid}")
            return rows.order(conn, row)

    def orders_for(self, customer_id: str) -> list[Order]:
        """The customer's orders, newest first (raises NotFound for an unknown customer)."""
        customer = self.customer(customer_id)
        with self._db() as conn:
            found = conn.execute(
                "SELECT * FROM orders WHERE customer_id=? ORDER BY placed_on DESC, id DESC",
                (customer.id,),
            ).fetchall()
            return [rows.order(conn, row) for row in found]

    def order_belongs_to(self, order_id: str, email: str) -> bool:
        """True when the order exists and its customer's email matches (any case)."""
        try:
            order = self.order(order_id)
        except NotFound:
            return False
        return self.customer(order.customer_id).email.lower() == (email or "").strip().lower()

    def balance(self, customer_id: str) -> Decimal:
        """The customer's store credit."""
        return self.customer(customer_id).store_credit

    def return_for(self, order_id: str) -> Return | None:
        oid = normalise_order_id(order_id)
        with self._db() as conn:
            row = conn.execute("SELECT * FROM returns WHERE order_id=?", (oid,)).fetchone()
        return rows.return_(row) if row else None

    def cancellation_for(self, order_id: str) -> Cancellation | None:
        oid = normalise_order_id(order_id)
        with self._db() as conn:
            row = conn.execute("SELECT * FROM cancellations WHERE order_id=?", (oid,)).fetchone()
        return rows.cancellation(row) if row else None

    # -- changing -------------------------------------------------------------------------
    def cancel_order(
        self, order_id: str, refund_method: str = "original_payment"
    ) -> tuple[Cancellation, bool]:
        """Cancel an order that has not shipped and refund its total, all or nothing.

        Returns the cancellation and whether it happened now. Cancelling an order again
        returns the first cancellation and refunds nothing more; an order that has shipped
        (or later) raises NotAllowed with the reason.
        """
        if refund_method not in REFUND_METHODS:
            raise ValueError(f"unknown refund method {refund_method!r}")
        oid = normalise_order_id(order_id)
        today = self.today()
        refund_by = refund_due(today, refund_method)
        with self._db() as conn:
            # The write lock is taken before looking, so two cancellations cannot both refund.
            conn.execute("BEGIN IMMEDIATE")
            order = conn.execute("SELECT * FROM orders WHERE id=?", (oid,)).fetchone()
            if order is None:
                raise NotFound(f"no order {oid}")
            done = conn.execute("SELECT * FROM cancellations WHERE order_id=?", (oid,)).fetchone()
            if done is not None:
                return rows.cancellation(done), False
            if order["status"] != "placed":
                raise NotAllowed(f"{oid} is already {order['status']}, so it cannot be cancelled")
            conn.execute(
                "UPDATE orders SET status='cancelled', cancelled_on=? WHERE id=?",
                (today.isoformat(), oid),
            )
            conn.execute(
                "INSERT INTO cancellations VALUES (?, ?, ?, ?, ?)",
                (oid, today.isoformat(), order["total"], refund_method, refund_by.isoformat()),
            )
            if refund_method == "store_credit":
                credit = conn.execute(
                    "SELECT store_credit FROM customers WHERE id=?", (order["customer_id"],)
                ).fetchone()[0]
                conn.execute(
                    "UPDATE customers SET store_credit=? WHERE id=?",
                    (str(Decimal(credit) + Decimal(order["total"])), order["customer_id"]),
                )
        cancellation = self.cancellation_for(oid)
        assert cancellation is not None
        return cancellation, True

    def change_order_address(self, order_id: str, address: str) -> Order:
        """Change where an order goes; only possible before it ships."""
        address = _clean_address(address)
        order = self.order(order_id)
        if order.status != "placed":
            raise NotAllowed(f"{order.id} is already {order.status}, so its address is fixed")
        with self._db() as conn:
            conn.execute(
                "UPDATE orders SET shipping_address=? WHERE id=? AND status='placed'",
                (address, order.id),
            )
        return self.order(order.id)

    def change_account_address(self, customer_id: str, address: str) -> Customer:
        """Change the account address (future orders); existing orders keep theirs."""
        address = _clean_address(address)
        customer = self.customer(customer_id)
        with self._db() as conn:
            conn.execute("UPDATE customers SET address=? WHERE id=?", (address, customer.id))
        return self.customer(customer.id)

    def return_eligibility(self, order_id: str) -> tuple[bool, str]:
        """Whether the order can be returned now, and why (a sentence for the customer)."""
        order = self.order(order_id)
        existing = self.return_for(order.id)
        if existing is not None:
            return False, f"{order.id} already has a return ({existing.status})"
        if order.status != "delivered" or order.delivered_on is None:
            return False, f"{order.id} is {order.status}; only delivered orders can be returned"
        age = (self.today() - order.delivered_on).days
        if age > RETURN_WINDOW_DAYS:
            return False, (
                f"{order.id} was delivered {age} days ago, outside the "
                f"{RETURN_WINDOW_DAYS}-day return window"
            )
        return True, (
            f"{order.id} was delivered {age} days ago, within the "
            f"{RETURN_WINDOW_DAYS}-day return window"
        )

    def start_return(
        self, order_id: str, reason: str, refund_method: str = "original_payment"
    ) -> Return:
        """Open a return for a delivered order (raises NotEligible with the reason)."""
        if refund_method not in ("original_payment", "store_credit"):
            raise ValueError(f"unknown refund method {refund_method!r}")
        eligible, why = self.return_eligibility(order_id)
        if not eligible:
            raise NotEligible(why)
        order = self.order(order_id)
        today = self.today().isoformat()
        with self._db() as conn:
            conn.execute(
                "INSERT INTO returns VALUES (?, ?, 'requested', ?, ?, ?, ?, ?)",
                (
                    f"R-{order.id[3:]}",
                    order.id,
                    (reason or "").strip() or "not given",
                    today,
                    str(order.total),
                    refund_method,
                    today,
                ),
            )
            conn.execute("UPDATE orders SET status='returned' WHERE id=?", (order.id,))
        found = self.return_for(order.id)
        assert found is not None
        return found

    def record_contact(
        self,
        conversation_id: str,
        name: str | None,
        email: str | None,
        phone: str | None,
        note: str | None,
    ) -> int:
        """Keep a customer's contact details for a follow-up; returns the contact's id."""
        if not (conversation_id or "").strip():
            raise ValueError("conversation_id is required")
        if not ((email or "").strip() or (phone or "").strip()):
            raise ValueError("an email or a phone number is required to follow up")
        with self._db() as conn:
            cursor = conn.execute(
                "INSERT INTO contacts (conversation_id, name, email, phone, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    name,
                    email,
                    phone,
                    note,
                    datetime.now(timezone.utc).isoformat(timespec="seconds"),
                ),
            )
            return int(cursor.lastrowid)

    def contacts(self, conversation_id: str) -> list[dict]:
        """Contacts left in one conversation, oldest first."""
        with self._db() as conn:
            found = conn.execute(
                "SELECT * FROM contacts WHERE conversation_id=? ORDER BY id", (conversation_id,)
            ).fetchall()
        return [dict(row) for row in found]


def _clean_address(address: str) -> str:
    text = " ".join((address or "").split())
    if len(text) < 5:
        raise ValueError("an address needs at least a street and a town")
    return text
