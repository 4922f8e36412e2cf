"""A contact left after a failed handoff is kept for a follow-up."""

from conftest import make_tracker

from actions.action_save_contact import ActionSaveContact


async def test_an_email_contact_is_recorded_for_the_conversation(dispatcher, shop_db):
    tracker = make_tracker(slots={"contact": "dana@example.com", "handoff_id": "conv-1:9"})
    await ActionSaveContact().run(dispatcher, tracker, {})
    [saved] = shop_db.contacts("conv-1")
    assert saved["email"] == "dana@example.com" and saved["phone"] is None
    assert "conv-1:9" in saved["note"]


async def test_a_phone_contact_is_recorded_as_a_phone(dispatcher, shop_db):
    tracker = make_tracker(slots={"contact": "+44 20 7946 0103"})
    await ActionSaveContact().run(dispatcher, tracker, {})
    assert shop_db.contacts("conv-1")[0]["phone"] == "+44 20 7946 0103"


async def test_a_contact_left_in_an_emergency_is_kept_urgent_with_what_the_customer_wrote(
    dispatcher, shop_db
):
    tracker = make_tracker(
        text="the heater is smoking and sparking",
        intent="harm_complaint",
        slots={
            "contact": "+44 20 7946 0103",
            "handoff_id": "conv-1:1",
            "emergency": "imminent danger: smoke and sparks",
        },
    )
    await ActionSaveContact().run(dispatcher, tracker, {})
    [saved] = shop_db.contacts("conv-1")
    assert saved["note"].startswith("URGENT (imminent danger: smoke and sparks)")
    assert 'the customer wrote: "the heater is smoking and sparking"' in saved["note"]


async def test_a_contact_left_without_an_emergency_is_not_marked_urgent(dispatcher, shop_db):
    tracker = make_tracker(slots={"contact": "dana@example.com", "handoff_id": "conv-1:9"})
    await ActionSaveContact().run(dispatcher, tracker, {})
    assert "URGENT" not in shop_db.contacts("conv-1")[0]["note"]


async def test_a_phone_left_for_a_call_back_is_noted_as_a_call_back(dispatcher, shop_db):
    tracker = make_tracker(
        slots={
            "contact": "+44 20 7946 0103",
            "handoff_id": "conv-1:2",
            "handoff_trigger": {"kind": "customer_request", "callback": True},
        }
    )
    await ActionSaveContact().run(dispatcher, tracker, {})
    [saved] = shop_db.contacts("conv-1")
    assert saved["phone"] == "+44 20 7946 0103"
    assert saved["note"] == "call back requested: follow up on handoff conv-1:2"
