"""The demo shop answers the questions the actions ask and applies their changes."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import in_processes

from actions.shop import (
    InvalidOrderId,
    NotAllowed,
    NotEligible,
    NotFound,
    Shop,
    ShopError,
    default_path,
    normalise_order_id,
)
from actions.shop.__main__ import main as shop_cli

TODAY = date(2026, 11, 23)


@pytest.fixture
def shop(tmp_path):
    return Shop(tmp_path / "shop.db", today=lambda: TODAY)


def test_database_is_created_and_seeded_on_first_use(tmp_path):
    """A new Shop creates its file lazily, on the first query."""
    shop = Shop(tmp_path / "nested" / "shop.db", today=lambda: TODAY)
    assert not shop.path.exists()
    assert shop.customer("C1001").name == "Maya Chen"
    assert shop.path.exists()


def test_seeding_is_deterministic(tmp_path):
    """Two shops seeded on the same day hold exactly the same data."""
    a = Shop(tmp_path / "a.db", today=lambda: TODAY)
    b = Shop(tmp_path / "b.db", today=lambda: TODAY)
    assert a.orders_for("C1020") == b.orders_for("C1020")
    assert a.customer("C1033") == b.customer("C1033")


def test_seed_has_every_order_and_return_status(shop):
    """Designers can find an order in every state and a return in every state."""
    shop.ensure_seeded()
    with sqlite3.connect(shop.path) as conn:
        orders = {row[0] for row in conn.execute("SELECT status FROM orders")}
        returns = {row[0] for row in conn.execute("SELECT status FROM returns")}
        customers = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    assert orders == {"placed", "shipped", "delivered", "returned", "cancelled"}
    assert returns == {"requested", "received", "refunded", "rejected"}
    assert customers >= 30


def test_default_path_is_read_from_the_environment_at_call_time(monkeypatch):
    """NW_SHOP_DB is honoured when the Shop is made, not when the module was imported."""
    monkeypatch.delenv("NW_SHOP_DB", raising=False)
    assert str(default_path()) == "var/shop.db"
    monkeypatch.setenv("NW_SHOP_DB", "/tmp/elsewhere.db")
    assert str(Shop().path) == "/tmp/elsewhere.db"


@pytest.mark.parametrize(
    "raw", ["NW-10007", "nw-10007", "NW10007", "nw 10007", " NW - 10007 ", "10007"]
)
def test_order_ids_are_normalised(raw):
    """Every way a customer writes an order id maps to NW-10007."""
    assert normalise_order_id(raw) == "NW-10007"


@pytest.mark.parametrize("raw", ["NW-1007", "NW-100070", "AB-10007", "", "order", None])
def test_text_that_is_not_an_order_id_is_rejected(raw):
    """Malformed ids raise InvalidOrderId, which is also a NotFound."""
    with pytest.raises(InvalidOrderId):
        normalise_order_id(raw)


def test_errors_form_one_tree():
    """Every shop error can be caught as ShopError."""
    assert all(issubclass(e, ShopError) for e in (NotFound, NotAllowed, NotEligible))


def test_unknown_customer_and_order_are_not_found(shop):
    """Looking up something that does not exist raises NotFound."""
    with pytest.raises(NotFound):
        shop.customer("C9999")
    with pytest.raises(NotFound):
        shop.order("NW-99999")
    with pytest.raises(NotFound):
        shop.customer_by_email("nobody@example.com")


def test_customer_by_email_ignores_case(shop):
    """A customer is found by email whatever the capitalisation."""
    assert shop.customer_by_email("  Dana@Example.COM ").id == "C1003"


def test_shipped_order_has_carrier_tracking_and_eta(shop):
    """NW-10001 is shipped, with carrier, tracking number and an ETA after today."""
    order = shop.order("nw-10001")
    assert order.status == "shipped"
    assert order.carrier and order.tracking_number
    assert order.eta > TODAY


def test_order_total_is_the_sum_of_its_items(shop):
    """Totals are exact decimals computed from the items."""
    order = shop.order("NW-10001")
    assert order.total == sum(i.unit_price * i.quantity for i in order.items) == Decimal("51.00")


def test_orders_for_lists_newest_first(shop):
    """A customer's orders come newest first."""
    assert [o.id for o in shop.orders_for("c1001")] == ["NW-10002", "NW-10001"]


@pytest.mark.parametrize(
    "order_id, email, expected",
    [
        ("NW-10007", "dana@example.com", True),
        ("nw-10007", "DANA@example.com", True),
        ("NW-10007", "maya.chen@example.com", False),
        ("NW-99999", "dana@example.com", False),
        ("garbage", "dana@example.com", False),
        ("NW-10007", "", False),
    ],
)
def test_order_belongs_to_checks_the_email_on_the_order(shop, order_id, email, expected):
    """Ownership is proven by the customer's email, case-insensitively."""
    assert shop.order_belongs_to(order_id, email) is expected


def test_address_of_a_placed_order_can_change(shop):
    """A placed order ships to the new address."""
    order = shop.change_order_address("NW-10002", "  1 New   Street, Portland, OR 97201 ")
    assert order.shipping_address == "1 New Street, Portland, OR 97201"
    assert shop.order("NW-10002").shipping_address == order.shipping_address


@pytest.mark.parametrize(
    "order_id, status",
    [
        ("NW-10001", "shipped"),
        ("NW-10003", "delivered"),
        ("NW-10006", "cancelled"),
        ("NW-10007", "returned"),
    ],
)
def test_address_of_an_order_past_placed_cannot_change(shop, order_id, status):
    """Once shipped (or later) the order address is fixed, and the reason says why."""
    with pytest.raises(NotAllowed, match=status):
        shop.change_order_address(order_id, "1 New Street, Portland")


def test_account_address_change_keeps_existing_order_addresses(shop):
    """Changing the account address does not move orders already placed."""
    before = shop.order("NW-10002").shipping_address
    assert (
        shop.change_account_address("C1001", "5 Pine Rd, Austin, TX").address
        == "5 Pine Rd, Austin, TX"
    )
    assert shop.order("NW-10002").shipping_address == before


def test_a_too_short_address_is_rejected(shop):
    """An empty or one-word address is a clear ValueError."""
    with pytest.raises(ValueError, match="address"):
        shop.change_account_address("C1001", " x ")


def test_balance_is_store_credit_as_decimal(shop):
    """Store credit comes back as an exact Decimal."""
    assert shop.balance("C1003") == Decimal("25.00")
    assert shop.balance("C1001") == Decimal("0.00")


@pytest.mark.parametrize(
    "order_id, eligible, phrase",
    [
        ("NW-10003", True, "delivered 5 days ago, within"),
        ("NW-10005", True, "delivered 3 days ago"),
        ("NW-10004", False, "delivered 60 days ago, outside"),
        ("NW-10001", False, "is shipped"),
        ("NW-10002", False, "is placed"),
        ("NW-10006", False, "is cancelled"),
        ("NW-10007", False, "already has a return (received)"),
        ("NW-10009", False, "already has a return (rejected)"),
    ],
)
def test_return_eligibility_explains_itself(shop, order_id, eligible, phrase):
    """Only orders delivered within 30 days and not yet returned can be returned."""
    ok, reason = shop.return_eligibility(order_id)
    assert ok is eligible
    assert phrase in reason


def test_return_window_ends_after_thirty_days(tmp_path):
    """Delivered exactly 30 days ago is returnable; 31 days is not."""
    day = {"today": TODAY}
    shop = Shop(tmp_path / "s.db", today=lambda: day["today"])
    delivered = shop.order("NW-10003").delivered_on
    day["today"] = delivered + timedelta(days=30)
    assert shop.return_eligibility("NW-10003")[0] is True
    day["today"] = delivered + timedelta(days=31)
    assert shop.return_eligibility("NW-10003")[0] is False


def test_start_return_opens_a_requested_return_for_the_order_total(shop):
    """Starting a return records it and marks the order returned."""
    ret = shop.start_return("nw-10003", "too small")
    assert (ret.id, ret.status, ret.refund_amount, ret.requested_on) == (
        "R-10003",
        "requested",
        Decimal("64.90"),
        TODAY,
    )
    assert shop.return_for("NW-10003") == ret
    assert shop.order("NW-10003").status == "returned"


def test_a_second_return_for_the_same_order_is_not_eligible(shop):
    """An order cannot be returned twice."""
    shop.start_return("NW-10003", "too small")
    with pytest.raises(NotEligible, match="already has a return"):
        shop.start_return("NW-10003", "again")


def test_start_return_outside_the_window_is_not_eligible(shop):
    """The NotEligible reason is the customer-facing sentence."""
    with pytest.raises(NotEligible) as caught:
        shop.start_return("NW-10004", "broken")
    assert "outside the 30-day return window" in caught.value.reason


def test_return_for_an_order_without_one_is_none(shop):
    """return_for answers None rather than raising when no return exists."""
    assert shop.return_for("NW-10001") is None


def test_refund_pending_and_refunded_returns_are_seeded(shop):
    """NW-10007 waits for its refund; NW-10008 was refunded to store credit."""
    assert shop.return_for("NW-10007").status == "received"
    refunded = shop.return_for("NW-10008")
    assert (refunded.status, refunded.refund_method) == ("refunded", "store_credit")


def test_record_contact_stores_details_for_follow_up(shop):
    """A contact left in a conversation can be read back."""
    contact_id = shop.record_contact("conv-1", "Dana", "dana@example.com", None, "call back")
    [saved] = shop.contacts("conv-1")
    assert saved["id"] == contact_id and saved["note"] == "call back"


def test_record_contact_needs_an_email_or_phone(shop):
    """Without a way to reach the customer the contact is refused."""
    with pytest.raises(ValueError, match="email or a phone"):
        shop.record_contact("conv-1", "Dana", "", "  ", "note")


def test_records_serialise_to_json_safe_dicts(shop):
    """to_json turns money into strings and dates into ISO strings."""
    data = shop.order("NW-10001").to_json()
    assert data["total"] == "51.00" and data["placed_on"] == "2026-11-21"
    assert data["items"][0]["unit_price"] == "14.50"


def test_cli_shows_a_customer(tmp_path, monkeypatch, capsys):
    """`python -m actions.shop show C1003` prints the customer with orders and returns."""
    monkeypatch.setenv("NW_SHOP_DB", str(tmp_path / "cli.db"))
    assert shop_cli(["show", "C1003"]) == 0
    out = capsys.readouterr().out
    assert '"Dana Whitfield"' in out and '"R-10007"' in out


def test_cli_reports_unknown_customers(tmp_path, monkeypatch, capsys):
    """An unknown id is an error message and exit status 1, not a traceback."""
    monkeypatch.setenv("NW_SHOP_DB", str(tmp_path / "cli.db"))
    assert shop_cli(["show", "C9999"]) == 1
    assert "no customer C9999" in capsys.readouterr().err


def test_the_high_value_scenario_is_above_the_default_review_amount(shop):
    """NW-10005 is delivered, returnable and above the 150.00 refund review amount."""
    order = shop.order("NW-10005")
    assert order.total == Decimal("240.00") and order.total > Decimal("150.00")
    assert shop.return_eligibility("NW-10005")[0] is True


def test_tracking_numbers_and_skus_are_never_mistaken_for_personal_data(shop):
    """The PII pipeline leaves every seeded tracking number and SKU alone."""
    from assistant.pii import redact

    shop.ensure_seeded()
    with sqlite3.connect(shop.path) as conn:
        values = [
            row[0]
            for row in conn.execute(
                "SELECT tracking_number FROM orders WHERE tracking_number IS NOT NULL "
                "UNION SELECT DISTINCT sku FROM order_items"
            )
        ]
    text = " ".join(values)
    assert redact(text) == (text, [])


def test_concurrent_first_use_seeds_exactly_once(tmp_path):
    """Several processes opening a new database at once seed it once, without errors."""
    path = tmp_path / "race.db"
    code = (
        "import sys; from datetime import date; from actions.shop import Shop; "
        "print(Shop(sys.argv[1], today=lambda: date(2026, 11, 23)).ensure_seeded())"
    )
    assert in_processes(code, str(path)) == ["False", "False", "False", "True"]
