"""Only something that looks like a full address becomes the new address."""

import pytest

from actions.action_validate_address_form import looks_like_address


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("221 Baker Street, London NW1 6XE", True),
        ("London", False),
        ("my office", False),
        ("12 " + "a " * 200, False),
    ],
)
def test_an_address_needs_a_number_and_several_words(text, ok):
    assert looks_like_address(text) is ok
