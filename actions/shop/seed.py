"""Deterministic demo data for the Northwind Goods shop, dated relative to a ``today`` anchor.

The first customers are hand-written scenarios that designers and tests rely on (see
docs/demo-data.md); the rest are generated from a fixed seed so the data looks like a shop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

SEED = 20261123

CATALOG = (
    ("NW-MUG-01", "Stoneware mug", Decimal("14.50")),
    ("NW-TEA-02", "Loose-leaf tea sampler", Decimal("22.00")),
    ("NW-LMP-03", "Brass desk lamp", Decimal("89.00")),
    ("NW-BLK-04", "Wool throw blanket", Decimal("64.90")),
    ("NW-KNF-05", "Chef's knife", Decimal("120.00")),
    ("NW-CHR-06", "Oak reading chair", Decimal("240.00")),
    ("NW-CUP-07", "Espresso cup set", Decimal("31.25")),
    ("NW-PLT-08", "Linen placemats (4)", Decimal("27.80")),
    ("NW-PAN-09", "Cast-iron pan", Decimal("54.00")),
    ("NW-RUG-10", "Jute rug", Decimal("179.00")),
)
_BY_SKU = {sku: (name, price) for sku, name, price in CATALOG}

FIRST = ("Alex", "Sam", "Jordan", "Robin", "Kim", "Noor", "Ivan", "Lucia", "Tomás", "Aiko",
         "Ben", "Fatima", "Greta", "Hugo", "Ines", "Jonas", "Keira", "Leo", "Mina", "Nils")
LAST = ("Baker", "Okafor", "Silva", "Novak", "Larsen", "Moreau", "Kaur", "Rossi", "Tanaka",
        "Byrne", "Costa", "Weber", "Hughes", "Lindqvist", "Mendes", "Park")
STREETS = ("Harbor Rd", "Elm St", "Mill Lane", "Station Ave", "Orchard Way", "King St")
CITIES = ("Portland, OR 97201", "Austin, TX 78701", "Denver, CO 80202", "Madison, WI 53703")
CARRIERS = ("UPS", "FedEx", "USPS")


@dataclass
class SeedOrder:
    id: str
    customer_id: str
    status: str
    placed_on: date
    items: list[tuple[str, int]]
    shipping_address: str
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    shipped_on: date | None = None
    delivered_on: date | None = None
    cancelled_on: date | None = None

    def item_rows(self) -> list[tuple[str, str, int, Decimal]]:
        return [(sku, _BY_SKU[sku][0], qty, _BY_SKU[sku][1]) for sku, qty in self.items]

    @property
    def total(self) -> Decimal:
        return sum((price * qty for _, _, qty, price in self.item_rows()), Decimal("0.00"))


@dataclass
class SeedReturn:
    order_id: str
    status: str
    reason: str
    requested_on: date
    refund_method: str
    updated_on: date


@dataclass
class SeedData:
    customers: list[tuple[str, str, str, str, str, Decimal]] = field(default_factory=list)
    orders: list[SeedOrder] = field(default_factory=list)
    returns: list[SeedReturn] = field(default_factory=list)


def _tracking(rng: random.Random, carrier: str) -> str:
    # Shapes chosen so the PII pipeline never mistakes a tracking number for a phone or card.
    if carrier == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    if carrier == "FedEx":
        return "".join(rng.choice("0123456789") for _ in range(12))
    return "9400" + "".join(rng.choice("0123456789") for _ in range(18))


def _order(rng, oid, cid, status, today, age_days, items, address) -> SeedOrder:
    """An order placed ``age_days`` ago, with the dates and shipping details its status implies."""
    placed = today - timedelta(days=age_days)
    order = SeedOrder(oid, cid, status, placed, items, address)
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
    d = today

    def customer(cid, name, email, phone, address, credit="0.00"):
        data.customers.append((cid, name, email, phone, address, Decimal(credit)))

    # Hand-written scenarios (docs/demo-data.md). Delivery is 4 days after placing.
    customer("C1001", "Maya Chen", "maya.chen@example.com", "+1 555-201-0101", "12 Harbor Rd, Portland, OR 97201")
    data.orders.append(_order(rng, "NW-10001", "C1001", "shipped", d, 2, [("NW-MUG-01", 2), ("NW-TEA-02", 1)], "12 Harbor Rd, Portland, OR 97201"))
    data.orders.append(_order(rng, "NW-10002", "C1001", "placed", d, 0, [("NW-LMP-03", 1)], "12 Harbor Rd, Portland, OR 97201"))
    customer("C1002", "Omar Haddad", "omar.haddad@example.com", "+1 555-202-0102", "48 Elm St, Austin, TX 78701")
    data.orders.append(_order(rng, "NW-10003", "C1002", "delivered", d, 9, [("NW-BLK-04", 1)], "48 Elm St, Austin, TX 78701"))
    data.orders.append(_order(rng, "NW-10004", "C1002", "delivered", d, 64, [("NW-PAN-09", 1)], "48 Elm St, Austin, TX 78701"))
    customer("C1003", "Dana Whitfield", "dana@example.com", "+44 20 7946 0103", "7 Mill Lane, Denver, CO 80202", "25.00")
    data.orders.append(_order(rng, "NW-10007", "C1003", "returned", d, 30, [("NW-KNF-05", 1)], "7 Mill Lane, Denver, CO 80202"))
    data.returns.append(SeedReturn("NW-10007", "received", "blade arrived chipped", d - timedelta(days=24), "original_payment", d - timedelta(days=12)))
    customer("C1004", "Lars Eriksen", "lars.eriksen@example.com", "+1 555-204-0104", "3 Station Ave, Madison, WI 53703")
    data.orders.append(_order(rng, "NW-10005", "C1004", "delivered", d, 7, [("NW-CHR-06", 1)], "3 Station Ave, Madison, WI 53703"))
    data.orders.append(_order(rng, "NW-10006", "C1004", "cancelled", d, 15, [("NW-RUG-10", 1)], "3 Station Ave, Madison, WI 53703"))
    customer("C1005", "Priya Nair", "priya.nair@example.com", "+1 555-205-0105", "90 Orchard Way, Portland, OR 97201", "45.00")
    data.orders.append(_order(rng, "NW-10008", "C1005", "returned", d, 40, [("NW-BLK-04", 1)], "90 Orchard Way, Portland, OR 97201"))
    data.returns.append(SeedReturn("NW-10008", "refunded", "wrong colour", d - timedelta(days=33), "store_credit", d - timedelta(days=28)))
    data.orders.append(_order(rng, "NW-10009", "C1005", "delivered", d, 24, [("NW-CUP-07", 1)], "90 Orchard Way, Portland, OR 97201"))
    data.returns.append(SeedReturn("NW-10009", "rejected", "changed my mind after use", d - timedelta(days=18), "original_payment", d - timedelta(days=15)))

    # Generated customers and orders: every status appears, ids continue from NW-10010.
    statuses = ("placed", "shipped", "delivered", "delivered", "returned", "cancelled")
    next_order = 10010
    for number in range(1006, 1041):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"{name.lower().replace(' ', '.').replace('á', 'a')}.{number}@example.com"
        address = f"{rng.randint(1, 199)} {rng.choice(STREETS)}, {rng.choice(CITIES)}"
        credit = rng.choice(("0.00", "0.00", "0.00", "10.00", "15.50"))
        customer(f"C{number}", name, email, f"+1 555-{rng.randint(210, 299)}-{number - 900:04d}", address, credit)
        for _ in range(rng.randint(1, 3)):
            status = rng.choice(statuses)
            age = {"placed": 0, "shipped": rng.randint(1, 3)}.get(status, rng.randint(6, 90))
            skus = rng.sample([sku for sku, _, _ in CATALOG], rng.randint(1, 3))
            order = _order(rng, f"NW-{next_order}", f"C{number}", status, d, age,
                           [(sku, rng.randint(1, 2)) for sku in skus], address)
            data.orders.append(order)
            if status == "returned":
                data.returns.append(SeedReturn(order.id, rng.choice(("requested", "received", "refunded")),
                                               "did not fit", order.delivered_on + timedelta(days=2),
                                               "original_payment", order.delivered_on + timedelta(days=3)))
            next_order += 1
    return data
