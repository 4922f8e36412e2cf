"""The contact form asks for a phone number when the customer asked to be called back."""

from conftest import make_tracker

from actions.action_ask_contact import ActionAskContact


async def test_the_contact_form_asks_for_an_email_or_a_phone(dispatcher):
    await ActionAskContact().run(dispatcher, make_tracker(), {})
    assert "email address or phone number" in dispatcher.messages[-1]["text"]


async def test_after_a_call_back_request_the_contact_form_asks_for_a_phone_number(dispatcher):
    tracker = make_tracker(
        slots={"handoff_trigger": {"kind": "customer_request", "callback": True}}
    )
    await ActionAskContact().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert message["text"] == "What phone number should a person call you back on?"
    assert message["buttons"] == [{"title": "No, thanks", "payload": "/deny"}]
