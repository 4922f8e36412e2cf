"""The address question shows where the order or the account points today."""

from conftest import make_tracker, texts

from actions.action_ask_new_address import ActionAskNewAddress


async def test_the_question_shows_the_orders_current_address(dispatcher, shop_db):
    tracker = make_tracker(slots={"order_id": "NW-10002", "request": "change_address"})
    await ActionAskNewAddress().run(dispatcher, tracker, {})
    assert shop_db.order("NW-10002").shipping_address in texts(dispatcher)[0]


async def test_the_question_shows_the_accounts_current_address(dispatcher, shop_db):
    tracker = make_tracker(slots={"customer_id": "C1003", "request": "change_account_address"})
    await ActionAskNewAddress().run(dispatcher, tracker, {})
    assert shop_db.customer("C1003").address in texts(dispatcher)[0]
