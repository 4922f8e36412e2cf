"""Cancellations: refunded before shipping, explained after, sent for approval above the limit."""

import sqlite3

import pytest
from conftest import make_tracker, slot_events, texts

from actions.action_cancel_order import START_RETURN, ActionCancelOrder
from actions.shop import NotAllowed, Shop


async def run(dispatcher, order_id):
    tracker = make_tracker(
        slots={"verified": True, "order_id": order_id, "request": "cancel_order"},
        text="please cancel my order",
        intent="cancel_order",
    )
    return slot_events(await ActionCancelOrder().run(dispatcher, tracker, {}))


def cancellations(shop: Shop, order_id: str) -> int:
    with sqlite3.connect(shop.path) as conn:
        query = "SELECT count(*) FROM cancellations WHERE order_id=?"
        return int(conn.execute(query, (order_id,)).fetchone()[0])


async def test_an_unshipped_order_is_cancelled_and_the_refund_is_explained(dispatcher, shop_db):
    """The shop cancels NW-10002; the reply gives the amount, the payment method and the day."""
    slots = await run(dispatcher, "NW-10002")
    cancellation = shop_db.cancellation_for("NW-10002")
    assert shop_db.order("NW-10002").status == "cancelled" and cancellation is not None
    [said] = texts(dispatcher)
    assert "89.00 to your original payment method" in said
    assert cancellation.refund_by.strftime("%B %Y") in said
    assert slots["risk_tier"] == "automation" and slots["goal_met"] is True


async def test_asking_twice_does_not_refund_twice(dispatcher, shop_db):
    """The second request says the order was already cancelled and the shop refunds once."""
    await run(dispatcher, "NW-10002")
    await run(dispatcher, "NW-10002")
    assert "already cancelled" in texts(dispatcher)[1]
    assert "nothing more is charged or refunded" in texts(dispatcher)[1]
    assert cancellations(shop_db, "NW-10002") == 1


async def test_an_order_cancelled_long_ago_is_explained_with_its_refund(dispatcher, shop_db):
    """NW-10006 was cancelled and refunded when it was cancelled; nothing new happens."""
    slots = await run(dispatcher, "NW-10006")
    total = shop_db.order("NW-10006").total
    assert "already cancelled" in texts(dispatcher)[0] and f"{total:.2f}" in texts(dispatcher)[0]
    assert slots["risk_tier"] == "automation"
    assert cancellations(shop_db, "NW-10006") == 1


async def test_a_shipped_order_is_not_cancelled_and_a_return_is_offered(dispatcher, shop_db):
    """NW-10001 is on its way: it stays shipped, and the reply explains the return after arrival."""
    slots = await run(dispatcher, "NW-10001")
    assert shop_db.order("NW-10001").status == "shipped"
    assert shop_db.cancellation_for("NW-10001") is None
    [said] = texts(dispatcher)
    assert "already shipped" in said and "start a return" in said
    assert dispatcher.messages[0]["buttons"] == []
    assert slots["risk_tier"] == "automation" and "draft" not in slots


async def test_a_delivered_order_gets_a_button_to_start_a_return(dispatcher, shop_db):
    """NW-10003 was delivered within the return window, so the return is one tap away."""
    await run(dispatcher, "NW-10003")
    assert shop_db.order("NW-10003").status == "delivered"
    assert "can't be cancelled" in texts(dispatcher)[0]
    assert dispatcher.messages[0]["buttons"] == [START_RETURN]


async def test_a_delivered_order_past_the_window_gets_the_reason_and_no_button(dispatcher, shop_db):
    """NW-10004 can be neither cancelled nor returned, and the reply says why."""
    await run(dispatcher, "NW-10004")
    assert "30-day return window" in texts(dispatcher)[0]
    assert dispatcher.messages[0]["buttons"] == []


async def test_a_refund_above_the_review_amount_is_prepared_for_an_agent(dispatcher, shop_db):
    """NW-10000 (179.00) stays placed; the draft holds the reply and the cancellation to approve."""
    slots = await run(dispatcher, "NW-10000")
    assert shop_db.order("NW-10000").status == "placed"
    assert shop_db.cancellation_for("NW-10000") is None
    assert texts(dispatcher) == []
    assert slots["risk_tier"] == "assistance"
    assert slots["risk_reasons"] == ["refund 179.00 is above the review amount 150.00"]
    assert slots["draft"]["action"] == {
        "type": "cancel_order",
        "order_id": "NW-10000",
        "amount": "179.00",
        "refund_method": "original_payment",
    }
    assert "179.00 to your original payment method" in slots["draft"]["reply"]


async def test_an_order_that_ships_meanwhile_is_explained_not_cancelled(
    dispatcher, shop_db, monkeypatch
):
    """If the order ships between the check and the cancellation, the customer hears why."""

    def ships_first(self, order_id, refund_method="original_payment"):
        with sqlite3.connect(self.path) as conn:
            conn.execute("UPDATE orders SET status='shipped' WHERE id=?", (order_id,))
        raise NotAllowed(f"{order_id} is already shipped, so it cannot be cancelled")

    monkeypatch.setattr(Shop, "cancel_order", ships_first)
    slots = await run(dispatcher, "NW-10002")
    assert "already shipped" in texts(dispatcher)[0]
    assert slots["risk_tier"] == "automation"


@pytest.mark.parametrize("sentiment, tier", [(-0.9, "escalation"), (0.2, "automation")])
async def test_an_angry_customer_is_escalated_before_anything_changes(
    dispatcher, shop_db, sentiment, tier
):
    """The risk check runs first: an escalated cancellation leaves the order as it was."""
    tracker = make_tracker(
        slots={"verified": True, "order_id": "NW-10002", "request": "cancel_order"},
        text="cancel it",
        intent="cancel_order",
        sentiment=sentiment,
    )
    slots = slot_events(await ActionCancelOrder().run(dispatcher, tracker, {}))
    assert slots["risk_tier"] == tier
    expected = "placed" if tier == "escalation" else "cancelled"
    assert shop_db.order("NW-10002").status == expected
