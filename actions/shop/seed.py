"""Create and fill the shop database: deterministic demo data dated from a ``today`` anchor.

The hand-written scenarios (scenarios.py) come first; customers C1006 onwards and orders
NW-10010 onwards are generated from a fixed seed so the shop looks lived-in and has every
order and return state.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import scenarios
from .models import refund_due

SEED = 20261123
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customers (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    phone TEXT NOT NULL, address TEXT NOT NULL, store_credit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL, placed_on TEXT NOT NULL, total TEXT NOT NULL,
    shipping_address TEXT NOT NULL, carrier TEXT, tracking_number TEXT, eta TEXT,
    shipped_on TEXT, delivered_on TEXT, cancelled_on TEXT);
CREATE TABLE IF NOT EXISTS order_items (
    order_id TEXT NOT NULL REFERENCES orders(id), sku TEXT NOT NULL, name TEXT NOT NULL,
    quantity INTEGER NOT NULL, unit_price TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS returns (
    id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE REFERENCES orders(id),
    status TEXT NOT NULL, reason TEXT NOT NULL, requested_on TEXT NOT NULL,
    refund_amount TEXT NOT NULL, refund_method TEXT NOT NULL, updated_on TEXT NOT NULL);
-- One row per cancelled order: the primary key is what stops a second refund.
CREATE TABLE IF NOT EXISTS cancellations (
    order_id TEXT PRIMARY KEY REFERENCES orders(id), cancelled_on TEXT NOT NULL,
    refund_amount TEXT NOT NULL, refund_method TEXT NOT NULL, refund_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, name TEXT,
    email TEXT, phone TEXT, note TEXT, created_at TEXT NOT NULL);
"""

CATALOG = {
    "NW-MUG-01": ("Stoneware mug", Decimal("14.50")),
    "NW-TEA-02": ("Loose-leaf tea sampler", Decimal("22.00")),
    "NW-LMP-03": ("Brass desk lamp", Decimal("89.00")),
    "NW-BLK-04": ("Wool throw blanket", Decimal("64.90")),
    "NW-KNF-05": ("Chef's knife", Decimal("120.00")),
    "NW-CHR-06": ("Oak reading chair", Decimal("240.00")),
    "NW-CUP-07": ("Espresso cup set", Decimal("31.25")),
    "NW-PLT-08": ("Linen placemats (4)", Decimal("27.80")),
    "NW-PAN-09": ("Cast-iron pan", Decimal("54.00")),
    "NW-RUG-10": ("Jute rug", Decimal("179.00")),
}
FIRST = (
    "Alex", "Sam", "Jordan", "Robin", "Kim", "Noor", "Ivan",
    "Lucia", "Tomas", "Aiko", "Ben", "Fatima", "Greta", "Hugo",
)  # fmt: skip
LAST = (
    "Baker", "Okafor", "Silva", "Novak", "Larsen", "Moreau",
    "Kaur", "Rossi", "Tanaka", "Byrne", "Costa", "Weber", "Park",
)  # fmt: skip
STREETS = ("Harbor Rd", "Elm St", "Mill Lane", "Station Ave", "Orchard Way", "King St")
CITIES = ("Portland, OR 97201", "Austin, TX 78701", "Denver, CO 80202", "Madison, WI 53703")
CARRIERS = ("UPS", "FedEx", "USPS")


@dataclass
class SeedOrder:
    id: str
    customer_id: str
    status: str
    placed_on: date
    items: tuple[tuple[str, int], ...]
    shipping_address: str
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    shipped_on: date | None = None
    delivered_on: date | None = None
    cancelled_on: date | None = None

    @property
    def total(self) -> Decimal:
        return sum((CATALOG[sku][1] * qty for sku, qty in self.items), Decimal("0.00"))


@dataclass
class SeedData:
    customers: list[tuple[str, str, str, str, str, Decimal]] = field(default_factory=list)
    orders: list[SeedOrder] = field(default_factory=list)
    # (order id, status, reason, requested on, refund method, updated on)
    returns: list[tuple[str, str, str, date, str, date]] = field(default_factory=list)


def _tracking(rng: random.Random, carrier: str) -> str:
    # Shapes chosen so the PII pipeline never mistakes a tracking number for a phone or card.
    if carrier == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    if carrier == "FedEx":
        return "".join(rng.choice("0123456789") for _ in range(12))
    return "9400" + "".join(rng.choice("0123456789") for _ in range(18))


def make_order(rng, oid, cid, status, today, age_days, items, address) -> SeedOrder:
    """An order placed ``age_days`` ago, with the dates and shipping details its status implies."""
    placed = today - timedelta(days=age_days)
    order = SeedOrder(oid, cid, status, placed, tuple(items), address)
    if status in ("shipped", "delivered", "returned"):
        order.carrier = rng.choice(CARRIERS)
        order.tracking_number = _tracking(rng, order.carrier)
        order.shipped_on = placed + timedelta(days=1)
    if status == "shipped":
        order.eta = max(today + timedelta(days=1), placed + timedelta(days=5))
    if status in ("delivered", "returned"):
        order.delivered_on = min(placed + timedelta(days=4), today)
    if status == "cancelled":
        order.cancelled_on = placed
    return order


def build_seed(today: date) -> SeedData:
    """Every customer, order and return, dated relative to ``today``."""
    rng = random.Random(SEED)
    data = SeedData()
    days_ago = lambda n: today - timedelta(days=n)  # noqa: E731

    addresses = {}
    for cid, name, email, phone, address, credit in scenarios.CUSTOMERS:
        data.customers.append((cid, name, email, phone, address, Decimal(credit)))
        addresses[cid] = address
    for oid, cid, status, age, items in scenarios.ORDERS:
        data.orders.append(make_order(rng, oid, cid, status, today, age, items, addresses[cid]))
    for oid, status, reason, requested, method, updated in scenarios.RETURNS:
        data.returns.append((oid, status, reason, days_ago(requested), method, days_ago(updated)))

    statuses = ("placed", "shipped", "delivered", "delivered", "returned", "cancelled")
    next_order = 10010
    for number in range(1006, 1041):
        cid = f"C{number}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"{name.lower().replace(' ', '.')}.{number}@example.com"
        address = f"{rng.randint(1, 199)} {rng.choice(STREETS)}, {rng.choice(CITIES)}"
        credit = Decimal(rng.choice(("0.00", "0.00", "0.00", "10.00", "15.50")))
        phone = f"+1 555-{rng.randint(210, 299)}-{number - 900:04d}"
        data.customers.append((cid, name, email, phone, address, credit))
        for _ in range(rng.randint(1, 3)):
            status = rng.choice(statuses)
            age = {"placed": 0, "shipped": rng.randint(1, 3)}.get(status, rng.randint(6, 90))
            skus = rng.sample(sorted(CATALOG), rng.randint(1, 3))
            items = [(sku, rng.randint(1, 2)) for sku in skus]
            order = make_order(rng, f"NW-{next_order}", cid, status, today, age, items, address)
            data.orders.append(order)
            if status == "returned":
                delivered = order.delivered_on
                return_status = rng.choice(("requested", "received", "refunded"))
                data.returns.append(
                    (order.id, return_status, "did not fit", delivered + timedelta(days=2),
                     "original_payment", delivered + timedelta(days=3))
                )  # fmt: skip
            next_order += 1
    return data


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def write_seed(conn: sqlite3.Connection, today: date) -> None:
    """Insert the demo data into an empty database (inside the caller's transaction)."""
    data = build_seed(today)
    conn.executemany(
        "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
        [(*row[:5], str(row[5])) for row in data.customers],
    )
    totals = {}
    for o in data.orders:
        totals[o.id] = o.total
        conn.execute(
            "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (o.id, o.customer_id, o.status, o.placed_on.isoformat(), str(o.total),
             o.shipping_address, o.carrier, o.tracking_number, _iso(o.eta), _iso(o.shipped_on),
             _iso(o.delivered_on), _iso(o.cancelled_on)),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO order_items VALUES (?, ?, ?, ?, ?)",
            [(o.id, sku, *CATALOG[sku][:1], qty, str(CATALOG[sku][1])) for sku, qty in o.items],
        )
    # Every seeded cancellation was refunded to the original payment when it was cancelled.
    conn.executemany(
        "INSERT INTO cancellations VALUES (?, ?, ?, 'original_payment', ?)",
        [
            (o.id, o.cancelled_on.isoformat(), str(o.total),
             refund_due(o.cancelled_on, "original_payment").isoformat())
            for o in data.orders
            if o.status == "cancelled" and o.cancelled_on is not None
        ],
    )  # fmt: skip
    for oid, status, reason, requested, method, updated in data.returns:
        conn.execute(
            "INSERT INTO returns VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f"R-{oid[3:]}", oid, status, reason, requested.isoformat(), str(totals[oid]),
             method, updated.isoformat()),
        )  # fmt: skip
    conn.execute("INSERT INTO meta VALUES ('anchor', ?)", (today.isoformat(),))
