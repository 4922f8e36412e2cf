"""Messages saying the customer cannot give what a form asks for, and those that do not."""

import pytest

from assistant.cannot_answer import cannot_answer


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("not sure", "not sure"),
        ("Dunno", "dunno"),
        ("idk", "idk"),
        ("no idea", "no idea"),
        ("No clue, sorry", "no clue"),
        ("hmm I'm not sure tbh", "not sure"),
        ("I don't know", "dont know"),
        ("i dont remember it", "dont remember"),
        ("I don\u2019t have it", "dont have it"),
        ("I never got the confirmation", "never got the confirmation"),
        ("haven't got one", "havent got one"),
        ("i can't find it", "cant find"),
        ("I cannot access my email right now", "cannot access"),
        ("couldn't locate the receipt", "couldnt locate"),
        ("i lost the email", "i lost"),
        ("I forgot it", "i forgot"),
        ("deleted the email ages ago", "deleted"),
        ("there's no order number on anything", "no order number"),
        ("where do i find it?", "where do i find"),
        ("i not know", "i not know"),
        ("not have number", "not have number"),
        ("no have order number sorry", "no have order number"),
        ("I not remember", "i not remember"),
    ],
)
def test_a_customer_without_what_was_asked_is_found(text, found):
    assert cannot_answer(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "nope",
        "not now",
        "never mind",
        "NW-10007",
        "jane@example.com",
        "12 Oak Street, Leeds",
        "I don't have time for this",
        "I know it, it's NW-10007",
        "not now, I have the number somewhere",
        "no, I have it: NW-10007",
        # A change of mind is the stop rule's, whatever else the message says.
        "not sure, forget it",
        "no idea, cancel",
        "I don't know, never mind",
        "dunno, I changed my mind",
        "not sure I want to go on, stop",
        "",
    ],
)
def test_an_answer_or_a_change_of_mind_is_not_found(text):
    assert cannot_answer(text) is None
