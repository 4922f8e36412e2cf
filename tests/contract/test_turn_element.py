"""The turn element's check (contract/turns.py), shared by the assistant and the gateway."""

import pytest

from contract.turns import TurnError, parse, turn_of


def test_a_good_turn_keeps_exactly_the_contract_keys():
    raw = {"goal": "met", "confidence": 1, "intent": "inform", "extra": "x"}
    assert parse(raw) == {
        "intent": "inform",
        "confidence": 1.0,
        "goal": "met",
        "topic": None,
        "order_ref": None,
        "email_hash": None,
    }


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ({}, "goal must be one of"),
        ({"goal": "MET"}, "goal must be one of"),
        ({"goal": "met", "confidence": True}, "confidence must be null or a number"),
        ({"goal": "met", "confidence": -0.1}, "between 0 and 1"),
        ({"goal": "met", "topic": ""}, "topic must be null or a string"),
        ({"goal": "met", "order_ref": "10007"}, "order reference"),
        ({"goal": "met", "email_hash": "A" * 64}, "sha256"),
        (["met"], "must be an object"),
    ],
)
def test_a_bad_turn_is_refused_saying_which_value(raw, complaint):
    with pytest.raises(TurnError, match=complaint):
        parse(raw)


def test_only_the_custom_turn_element_is_a_turn():
    assert turn_of({"custom": {"turn": {"goal": "none"}}}) == {"goal": "none"}
    assert turn_of({"custom": {"kind": "order_card"}}) is None
    assert turn_of({"text": "hi"}) is None
