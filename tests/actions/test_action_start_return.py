"""Returns: started when eligible, refused with the reason, sent for approval above the limit."""

from conftest import make_tracker, slot_events, texts

from actions.action_start_return import ActionStartReturn


def conversation():
    """The customer asked for the return, then gave the email the form asked for."""
    return [
        {
            "event": "user",
            "text": "it doesn't fit, I want to return it",
            "timestamp": 1.0,
            "parse_data": {"intent": {"name": "start_return", "confidence": 0.99}},
        },
        {"event": "action", "name": "action_listen", "timestamp": 2.0},
        {
            "event": "user",
            "text": "omar.haddad@example.com",
            "timestamp": 3.0,
            "parse_data": {"intent": {"name": "inform", "confidence": 0.99}},
        },
    ]


async def run(dispatcher, order_id):
    tracker = make_tracker(
        slots={"verified": True, "order_id": order_id},
        events=conversation(),
        text="omar.haddad@example.com",
        intent="inform",
    )
    return slot_events(await ActionStartReturn().run(dispatcher, tracker, {}))


async def test_an_eligible_order_gets_a_return_with_its_refund_amount(dispatcher, shop_db):
    await run(dispatcher, "NW-10003")
    started = shop_db.return_for("NW-10003")
    assert started is not None and started.reason == "it doesn't fit, I want to return it"
    assert started.id in texts(dispatcher)[0] and "64.90" in texts(dispatcher)[0]


async def test_an_order_outside_the_window_is_refused_with_the_reason(dispatcher, shop_db):
    await run(dispatcher, "NW-10004")
    assert shop_db.return_for("NW-10004") is None
    assert "30-day return window" in texts(dispatcher)[0]


async def test_a_refund_above_the_review_amount_waits_for_an_agent(dispatcher, shop_db):
    slots = await run(dispatcher, "NW-10005")
    assert shop_db.return_for("NW-10005") is None
    assert slots["risk_tier"] == "assistance"
    assert slots["draft"]["action"]["amount"] == "240.00"
    assert slots["draft"]["action"]["reason"] == "it doesn't fit, I want to return it"
