from hypothesis import given
from hypothesis import strategies as st

from contract.customer_keys import email_hash, order_ref


def test_the_same_address_in_any_case_or_spacing_hashes_alike():
    assert email_hash(" Dana@Example.com ") == email_hash("dana@example.com")
    assert email_hash("dana@example.com") != email_hash("dan@example.com")
    assert len(email_hash("dana@example.com") or "") == 64


def test_what_is_not_an_address_has_no_hash():
    assert [email_hash(x) for x in (None, "", "dana", "dana@", "a b@c.d")] == [None] * 5


def test_order_numbers_are_spelled_one_way():
    spellings = ["NW-10007", "nw-10007", "nw 10007", "10007", " NW10007 "]
    assert {order_ref(s) for s in spellings} == {"NW-10007"}
    assert [order_ref(x) for x in (None, "", "order", "NW-12", "NW-10007x")] == [None] * 5


@given(st.text(max_size=80))
def test_any_text_gives_a_key_or_none_and_never_raises(text):
    assert order_ref(text) is None or order_ref(text).startswith("NW-")
    key = email_hash(text)
    assert key is None or len(key) == 64
