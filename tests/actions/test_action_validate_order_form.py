"""An order is disclosed only to a customer who proves it is theirs."""

from conftest import make_tracker, slot_events

from actions.action_validate_order_form import ValidateOrderForm

FORM = ValidateOrderForm()
DOMAIN = {"forms": {"order_form": {"required_slots": ["order_id", "email"]}}}


def user_said(slots):
    """Events of a turn in which the customer's message filled these slots."""
    return [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "user", "text": "…", "timestamp": 2.0, "parse_data": {}},
    ] + [
        {"event": "slot", "name": name, "value": value, "timestamp": 3.0}
        for name, value in slots.items()
    ]


async def validate(dispatcher, slots, filled):
    tracker = make_tracker(
        slots={**slots, **filled}, events=user_said(filled), active_loop="order_form"
    )
    return slot_events(await FORM.get_validation_events(dispatcher, tracker, DOMAIN))


async def test_the_email_on_the_order_verifies_the_customer(dispatcher, shop_db):
    slots = await validate(dispatcher, {"order_id": "NW-10007"}, {"email": "Dana@Example.com"})
    assert slots["verified"] is True
    assert slots["customer_id"] == "C1003"
    assert slots["verification_method"] == "order_email"


async def test_an_email_that_does_not_match_clears_both_and_counts_a_failure(dispatcher, shop_db):
    slots = await validate(dispatcher, {"order_id": "NW-10007"}, {"email": "eve@example.com"})
    assert slots["order_id"] is None and slots["email"] is None
    assert slots["failed_attempts"] == 1
    assert "verified" not in slots


async def test_an_unknown_order_counts_a_failure(dispatcher, shop_db):
    slots = await validate(dispatcher, {}, {"order_id": "NW-99999"})
    assert slots["failed_attempts"] == 1 and slots["order_id"] is None


async def test_the_order_id_is_written_the_shops_way(dispatcher, shop_db):
    assert (await validate(dispatcher, {}, {"order_id": "nw 10007"}))["order_id"] == "NW-10007"


async def test_reaching_the_failure_limit_records_an_escalation(dispatcher, shop_db):
    slots = await validate(
        dispatcher,
        {"order_id": "NW-10007", "failed_attempts": 2, "request": "track_order"},
        {"email": "eve@example.com"},
    )
    assert slots["risk_tier"] == "escalation"
    assert any("repeated failures" in reason for reason in slots["risk_reasons"])


async def test_a_signed_in_customer_is_asked_only_for_the_order(dispatcher):
    tracker = make_tracker(slots={"verification_method": "signed_token", "request": "track_order"})
    assert await FORM.required_slots(["order_id", "email"], dispatcher, tracker, {}) == ["order_id"]


async def test_a_signed_in_customer_is_asked_nothing_for_an_account_request(dispatcher):
    tracker = make_tracker(
        slots={"verification_method": "signed_token", "request": "check_balance"}
    )
    assert await FORM.required_slots(["order_id", "email"], dispatcher, tracker, {}) == []


async def test_a_signed_in_customer_cannot_open_another_customers_order(dispatcher, shop_db):
    slots = await validate(
        dispatcher,
        {"verification_method": "signed_token", "customer_id": "C1001"},
        {"order_id": "NW-10007"},
    )
    assert slots["order_id"] is None and slots["failed_attempts"] == 1


async def test_at_the_failure_limit_the_form_stops_asking(dispatcher, shop_db):
    tracker = make_tracker(slots={"failed_attempts": 3})
    assert await FORM.required_slots(["order_id", "email"], dispatcher, tracker, {}) == []


async def test_a_failure_before_the_limit_invites_another_try(dispatcher, shop_db):
    await validate(dispatcher, {"order_id": "NW-10007"}, {"email": "eve@example.com"})
    assert dispatcher.messages[0]["text"].endswith("Let's try again.")


async def test_the_failure_that_reaches_the_limit_does_not_invite_another_try(dispatcher, shop_db):
    await validate(
        dispatcher, {"order_id": "NW-10007", "failed_attempts": 2}, {"email": "eve@example.com"}
    )
    assert "try again" not in dispatcher.messages[0]["text"]
