"""Address changes: done for an unshipped order or the account, prepared for an agent otherwise."""

from conftest import make_tracker, slot_events, texts

from actions.action_change_address import ActionChangeAddress

NEW = "221 Baker Street, London NW1 6XE, UK"


async def run(dispatcher, **slots):
    tracker = make_tracker(slots={"verified": True, "new_address": NEW, **slots})
    return slot_events(await ActionChangeAddress().run(dispatcher, tracker, {}))


async def test_an_order_that_has_not_shipped_gets_the_new_address(dispatcher, shop_db):
    slots = await run(dispatcher, order_id="NW-10002", request="change_address")
    assert shop_db.order("NW-10002").shipping_address == NEW
    assert NEW in texts(dispatcher)[0]
    assert slots["goal_met"] is True


async def test_a_shipped_order_is_prepared_as_a_draft_for_an_agent(dispatcher, shop_db):
    before = shop_db.order("NW-10001").shipping_address
    slots = await run(dispatcher, order_id="NW-10001", request="change_address")
    assert shop_db.order("NW-10001").shipping_address == before
    assert slots["risk_tier"] == "assistance"
    assert slots["draft"]["action"] == {
        "type": "change_order_address",
        "order_id": "NW-10001",
        "status": "shipped",
        "new_address": NEW,
    }
    assert dispatcher.messages == []


async def test_the_account_address_changes_for_a_verified_customer(dispatcher, shop_db):
    await run(dispatcher, customer_id="C1003", request="change_account_address")
    assert shop_db.customer("C1003").address == NEW
