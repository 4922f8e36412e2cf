"""The rules find every case a person must own, and skip negations and near misses."""

import pytest

from contract.case_kinds import CASE_LABELS
from contract.cases import RULES, find

FIRES = [
    ("my lawyer will be in touch", "legal_request"),
    ("I'll sue you for this", "legal_request"),
    ("see you in small claims court", "legal_request"),
    ("I am going to take legal action", "legal_request"),
    ("someone used my card without my permission, this is fraud", "fraud"),
    ("I didn't authorise this charge", "fraud"),
    ("my account was hacked", "fraud"),
    ("there is an unauthorized payment on my statement", "fraud"),
    ("I think somebody stole my identity, identity theft", "fraud"),
    ("I was charged twice for one order", "payment_dispute"),
    ("you billed twice!!", "payment_dispute"),
    ("there are three payments on my card for one order", "payment_dispute"),
    ("two identical charges from Northwind this morning", "payment_dispute"),
    ("2 payments of 30.00 in my banking app for one lamp", "payment_dispute"),
    ("I see 2 charges from you on my statement", "payment_dispute"),
    ("duplicate transactions for the same order", "payment_dispute"),
    ("you took the money twice", "payment_dispute"),
    ("debited several times for one purchase", "payment_dispute"),
    ("I was charged more than once", "payment_dispute"),
    ("why am I being charged again? I only bought it once", "payment_dispute"),
    ("I've been overcharged", "payment_dispute"),
    ("i want to dispute a payment", "payment_dispute"),
    ("I need to contest the charge on my card", "payment_dispute"),
    ("disputing transactions from your shop", "payment_dispute"),
    ("I dispute this", "payment_dispute"),
    ("I'll file a chargeback", "chargeback"),
    ("I will dispute this with my bank", "chargeback"),
    ("going to dispute with my bank", "chargeback"),
    ("delete my data", "data_protection"),
    ("this is a GDPR request", "data_protection"),
    ("what data do you hold about me", "data_protection"),
    ("please erase all my personal information", "data_protection"),
    ("I'll report you to trading standards", "regulator_complaint"),
    ("going to the BBB with this", "regulator_complaint"),
    ("I'm filing with the FTC", "regulator_complaint"),
    ("I'll contact consumer protection", "regulator_complaint"),
    ("the heater burned my hand", "harm_complaint"),
    ("my son was injured by the toy", "harm_complaint"),
    ("the washing machine leaked and damaged my floor", "harm_complaint"),
    ("I cut my finger on the broken glass", "harm_complaint"),
]
# Negations and near misses: none of these is a case.
SILENT = [
    "I'm not going to sue, I just want my refund",
    "I don't want to take legal action",
    "where is my order",
    "I cut the tape to open the box",
    "the order was charged once, that's fine",
    "can I split it into three payments",
    "can I make two payments for one order",
    "can I pay in two payments of 20 for the rug",
    "I made two payments for two different orders",
    "I paid for it once and got it, thanks",
    "take the money from my other card",
    "no fraud here, just checking my balance",
    "I never want my data deleted",
    "I don't want to dispute the payment, just tell me when it clears",
    "there was a dispute with the courier about where to leave it",
    "can you update my delivery address",
    "this hasn't hurt anyone",
    "",
]


@pytest.mark.parametrize(("text", "kind"), FIRES)
def test_a_case_is_found_with_its_kind(text, kind):
    assert kind in [case.kind for case in find(text)]


@pytest.mark.parametrize("text", SILENT)
def test_negations_and_near_misses_are_no_case(text):
    assert find(text) == []


def test_a_case_says_the_words_that_showed_it():
    [case] = find("My LAWYER says hello")
    assert (case.kind, case.matched, case.label) == ("legal_request", "my lawyer", "legal request")


def test_every_rule_kind_is_a_kind_the_risk_check_always_escalates():
    assert set(RULES) <= set(CASE_LABELS)


def test_text_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError):
        find(None)  # type: ignore[arg-type]
