"""The risk reasons for cases a person must own read back as the same case kinds."""

import pytest

from contract.case_kinds import CASE_LABELS, case_kinds_in, case_reason


@pytest.mark.parametrize("kind", sorted(CASE_LABELS))
def test_every_case_reason_reads_back_as_its_kind(kind):
    assert case_kinds_in([case_reason(kind, "the rules found 'x'")]) == [kind]


def test_other_reasons_and_non_strings_are_ignored_and_kinds_come_once_in_order():
    reasons = [
        "angry customer (sentiment -0.80 is at or below -0.60)",
        case_reason("fraud"),
        None,
        case_reason("legal_request"),
        case_reason("fraud", "again"),
        "a legal request was mentioned",
    ]
    assert case_kinds_in(reasons) == ["fraud", "legal_request"]


def test_an_unknown_case_kind_is_refused():
    with pytest.raises(ValueError, match="unknown case kind 'whim'"):
        case_reason("whim")
