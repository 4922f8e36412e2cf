"""Cancelling an order: refunded once, all or nothing, and only before it ships."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import in_processes

from actions.shop import REFUND_DAYS, NotAllowed, NotFound, Shop
from actions.shop.__main__ import main as shop_cli

TODAY = date(2026, 11, 23)


@pytest.fixture
def shop(tmp_path):
    return Shop(tmp_path / "shop.db", today=lambda: TODAY)


def _count(shop: Shop, sql: str, *args: object) -> int:
    with sqlite3.connect(shop.path) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def test_a_placed_order_is_cancelled_and_its_total_refunded_to_the_payment(shop):
    """The order becomes cancelled today and the refund of its total is due in a few days."""
    cancellation, now = shop.cancel_order("nw-10002")
    assert now is True
    assert (cancellation.order_id, cancellation.refund_amount, cancellation.refund_method) == (
        "NW-10002",
        Decimal("89.00"),
        "original_payment",
    )
    assert cancellation.cancelled_on == TODAY
    assert cancellation.refund_by == TODAY + timedelta(days=REFUND_DAYS)
    order = shop.order("NW-10002")
    assert (order.status, order.cancelled_on) == ("cancelled", TODAY)
    assert shop.cancellation_for("NW-10002") == cancellation


def test_cancelling_twice_refunds_once(shop):
    """The second cancellation returns the first one and writes nothing."""
    first, _ = shop.cancel_order("NW-10002")
    again, now = shop.cancel_order("NW-10002")
    assert (again, now) == (first, False)
    assert _count(shop, "SELECT count(*) FROM cancellations WHERE order_id=?", "NW-10002") == 1


def test_a_refund_to_store_credit_is_added_to_the_balance_at_once(shop):
    """Store credit grows by the order total, and cancelling again does not grow it twice."""
    before = shop.balance("C1003")
    cancellation, _ = shop.cancel_order("NW-10000", refund_method="store_credit")
    shop.cancel_order("NW-10000", refund_method="store_credit")
    assert cancellation.refund_by == TODAY
    assert shop.balance("C1003") == before + Decimal("179.00")


@pytest.mark.parametrize(
    "order_id, status",
    [("NW-10001", "shipped"), ("NW-10003", "delivered"), ("NW-10007", "returned")],
)
def test_an_order_that_has_shipped_cannot_be_cancelled(shop, order_id, status):
    """Shipped, delivered and returned orders stay as they are, and the reason says why."""
    with pytest.raises(NotAllowed, match=f"already {status}"):
        shop.cancel_order(order_id)
    assert shop.order(order_id).status == status
    assert shop.cancellation_for(order_id) is None


def test_a_seeded_cancelled_order_carries_the_refund_made_when_it_was_cancelled(shop):
    """NW-10006 was cancelled 15 days ago; asking to cancel it again refunds nothing."""
    seeded = shop.cancellation_for("NW-10006")
    assert seeded is not None
    assert seeded.cancelled_on == TODAY - timedelta(days=15)
    assert seeded.refund_amount == shop.order("NW-10006").total
    assert shop.cancel_order("NW-10006") == (seeded, False)


def test_every_seeded_cancelled_order_has_one_refund(shop):
    """Generated cancelled orders are refunded too, so none can be refunded a second time."""
    shop.ensure_seeded()
    cancelled = _count(shop, "SELECT count(*) FROM orders WHERE status='cancelled'")
    joined = _count(
        shop,
        "SELECT count(*) FROM orders JOIN cancellations ON cancellations.order_id = orders.id "
        "WHERE orders.status='cancelled' AND cancellations.refund_amount = orders.total",
    )
    assert cancelled == joined > 1


def test_a_failed_refund_leaves_the_order_placed(shop):
    """Cancelling is all or nothing: if the refund cannot be written the order is not cancelled."""
    shop.ensure_seeded()
    with sqlite3.connect(shop.path) as conn:
        conn.execute("DROP TABLE cancellations")
        conn.execute("CREATE TABLE cancellations (order_id TEXT PRIMARY KEY CHECK (0))")
    with pytest.raises(sqlite3.Error):
        shop.cancel_order("NW-10002")
    assert shop.order("NW-10002").status == "placed"


@pytest.mark.parametrize("order_id", ["NW-99999", "not an order"])
def test_an_unknown_order_is_not_found(shop, order_id):
    """Nothing to cancel: NotFound, never a refund."""
    with pytest.raises(NotFound):
        shop.cancel_order(order_id)


def test_an_unknown_refund_method_is_a_clear_error(shop):
    """Only the shop's refund methods are accepted."""
    with pytest.raises(ValueError, match="refund method"):
        shop.cancel_order("NW-10002", refund_method="cash")
    assert shop.order("NW-10002").status == "placed"


def test_concurrent_cancellations_refund_once(tmp_path):
    """Several processes cancelling the same order at once: one cancels, the others see it."""
    path = tmp_path / "race.db"
    Shop(path, today=lambda: TODAY).ensure_seeded()
    code = (
        "import sys; from datetime import date; from actions.shop import Shop; "
        "print(Shop(sys.argv[1], today=lambda: date(2026, 11, 23)).cancel_order('NW-10002')[1])"
    )
    assert in_processes(code, str(path)) == ["False", "False", "False", "True"]
    shop = Shop(path, today=lambda: TODAY)
    assert _count(shop, "SELECT count(*) FROM cancellations WHERE order_id='NW-10002'") == 1


def test_the_cli_cancels_an_approved_order_once(tmp_path, monkeypatch, capsys):
    """An agent approving a cancellation runs `cancel`; running it again refunds nothing."""
    monkeypatch.setenv("NW_SHOP_DB", str(tmp_path / "cli.db"))
    assert shop_cli(["cancel", "NW-10000"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["refund_amount"], first["cancelled_now"]) == ("179.00", True)
    assert shop_cli(["cancel", "NW-10000"]) == 0
    assert json.loads(capsys.readouterr().out)["cancelled_now"] is False


def test_the_cli_refuses_to_cancel_a_shipped_order(tmp_path, monkeypatch, capsys):
    """A shipped order is an error message and exit status 1, and stays shipped."""
    monkeypatch.setenv("NW_SHOP_DB", str(tmp_path / "cli.db"))
    assert shop_cli(["cancel", "NW-10001"]) == 1
    assert "already shipped" in capsys.readouterr().err
    assert Shop(tmp_path / "cli.db").order("NW-10001").status == "shipped"
