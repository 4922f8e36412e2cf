"""A signed-in customer picks the order from their own orders."""

from conftest import make_tracker

from actions.action_ask_order_id import ActionAskOrderId


async def test_a_signed_in_customer_gets_their_orders_as_buttons(dispatcher, shop_db):
    tracker = make_tracker(slots={"customer_id": "C1001", "verification_method": "signed_token"})
    await ActionAskOrderId().run(dispatcher, tracker, {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/inform{"order_id": "NW-10001"}' in payloads
    assert all(shop_db.order(p.split('"')[3]).customer_id == "C1001" for p in payloads)


async def test_an_anonymous_customer_is_asked_to_type_the_number(dispatcher, shop_db):
    await ActionAskOrderId().run(dispatcher, make_tracker(), {})
    assert "NW-10007" in dispatcher.messages[0]["text"] and not dispatcher.messages[0]["buttons"]
