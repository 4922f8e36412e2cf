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
