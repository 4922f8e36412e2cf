"""A contact is an email address or a phone number the spaCy pipeline found."""

from conftest import make_tracker

from actions.action_validate_contact_form import ValidateContactForm


def test_a_found_email_is_kept_as_the_contact(dispatcher):
    result = ValidateContactForm().validate_contact(
        " ana@example.com ", dispatcher, make_tracker(), {}
    )
    assert result == {"contact": "ana@example.com"}


def test_an_empty_contact_is_asked_again(dispatcher):
    assert ValidateContactForm().validate_contact("", dispatcher, make_tracker(), {}) == {
        "contact": None
    }
    assert dispatcher.messages


CALLBACK = {"handoff_trigger": {"kind": "customer_request", "callback": True}}


def test_a_phone_number_is_kept_for_a_call_back(dispatcher):
    tracker = make_tracker(slots=CALLBACK)
    result = ValidateContactForm().validate_contact("+44 20 7946 0103", dispatcher, tracker, {})
    assert result == {"contact": "+44 20 7946 0103"}


def test_an_email_is_not_enough_for_a_call_back_and_a_phone_is_asked_for(dispatcher):
    tracker = make_tracker(slots=CALLBACK)
    result = ValidateContactForm().validate_contact("ana@example.com", dispatcher, tracker, {})
    assert result == {"contact": None}
    assert "phone number" in dispatcher.messages[-1]["text"]
