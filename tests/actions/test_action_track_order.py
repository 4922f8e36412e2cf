"""Tracking answers from the shop's record, unless the risk check calls for a person."""

from conftest import make_tracker, slot_events, texts

from actions.action_track_order import ActionTrackOrder

VERIFIED = {"order_id": "NW-10001", "verified": True, "customer_id": "C1001"}


async def test_a_shipped_order_is_reported_with_carrier_tracking_number_and_eta(
    dispatcher, shop_db
):
    events = await ActionTrackOrder().run(dispatcher, make_tracker(slots=VERIFIED), {})
    order = shop_db.order("NW-10001")
    [reply] = texts(dispatcher)
    assert order.carrier in reply and order.tracking_number in reply
    assert str(order.eta.day) in reply
    assert slot_events(events)["goal_met"] is True
    assert slot_events(events)["risk_tier"] == "automation"


async def test_an_angry_customer_gets_no_answer_but_an_escalation(dispatcher, shop_db):
    tracker = make_tracker(slots=VERIFIED, sentiment=-0.5)
    events = await ActionTrackOrder().run(dispatcher, tracker, {})
    assert dispatcher.messages == []
    assert slot_events(events)["risk_tier"] == "escalation"
    assert "goal_met" not in slot_events(events)
