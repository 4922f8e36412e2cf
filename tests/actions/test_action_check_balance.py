"""The store credit comes from the customer's record."""

from conftest import make_tracker, texts

from actions.action_check_balance import ActionCheckBalance


async def test_the_balance_is_the_customers_store_credit(dispatcher, shop_db):
    tracker = make_tracker(slots={"verified": True, "customer_id": "C1003"})
    await ActionCheckBalance().run(dispatcher, tracker, {})
    assert f"{shop_db.balance('C1003'):.2f}" in texts(dispatcher)[0]
