"""The boundary JSON parser: what it accepts and what it refuses, as a table."""

import pytest

from handoff.safejson import MAX_DEPTH, BadJson, loads


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": [1, 2, {"b": "c"}]}', {"a": [1, 2, {"b": "c"}]}),
        ('"[[[[ not nesting ]"', "[[[[ not nesting ]"),
        ('"escaped \\" quote ["', 'escaped " quote ['),
        ('"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair is one valid character
        ("-9007199254740992", -(2**53)),
        ("1.5", 1.5),
        ("[" * MAX_DEPTH + "]" * MAX_DEPTH, _nested(MAX_DEPTH)),
    ],
)
def test_acceptable_json_parses_as_usual(text, value):
    assert loads(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * 100_000,
        '"\\ud800"',
        '{"\\udfff": 1}',
        '["ok", {"k": "lone \\udbff here"}]',
        str(10**30),
        "9007199254740993",
        "NaN",
        "-Infinity",
        "1e400",
        "{nope",
        "",
    ],
)
def test_unacceptable_json_is_refused_with_bad_json(text):
    with pytest.raises(BadJson):
        loads(text)


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(BadJson):
        loads(b'{"a": "\xff"}')
