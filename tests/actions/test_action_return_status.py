"""The return and refund status comes from the shop's return record."""

from conftest import make_tracker, texts

from actions.action_return_status import ActionReturnStatus


async def run(dispatcher, order_id):
    tracker = make_tracker(slots={"verified": True, "order_id": order_id})
    await ActionReturnStatus().run(dispatcher, tracker, {})
    return texts(dispatcher)[0]


async def test_a_received_return_reports_the_pending_refund(dispatcher, shop_db):
    reply = await run(dispatcher, "NW-10007")
    assert "received" in reply and "120.00" in reply


async def test_an_order_without_a_return_says_so(dispatcher, shop_db):
    assert "There is no return for order NW-10002" in await run(dispatcher, "NW-10002")
