"""Parse untrusted JSON at the boundary: bounded nesting, valid Unicode, bounded integers.

`loads(text)` returns the value or raises `BadJson` (a `ValueError`) naming what is wrong.
The standard parser recurses once per nesting level (a few thousand levels raise
`RecursionError`), accepts escaped lone surrogates that cannot be encoded again (they break
logging, storage and Rasa further in), and turns any run of digits into an integer and
1e400 into infinity.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32
# Larger than any seq, score or count the protocol has; small enough for SQLite and PostgreSQL.
MAX_INT = 2**53


class BadJson(ValueError):
    """The text is not acceptable JSON; the message says why."""


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise BadJson("the body is not valid UTF-8") from None
    _check_depth(text, max_depth)
    try:
        value = json.loads(
            text, parse_int=_bounded_int, parse_float=_finite, parse_constant=_no_constant
        )
    except BadJson:
        raise
    except (ValueError, RecursionError):
        raise BadJson("not valid JSON") from None
    _check_text(value)
    return value


def _check_depth(text: str, max_depth: int) -> None:
    """Refuse nesting deeper than `max_depth` before parsing (brackets inside strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise BadJson(f"JSON nested deeper than {max_depth} levels")
        elif char in "]}":
            depth -= 1


def _bounded_int(raw: str) -> int:
    if len(raw.lstrip("-")) > 16 or abs(int(raw)) > MAX_INT:
        raise BadJson(f"integer out of range (at most {MAX_INT} in size)")
    return int(raw)


def _finite(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise BadJson("number out of range")
    return value


def _no_constant(name: str) -> float:
    raise BadJson(f"{name} is not JSON")


def _check_text(value: Any) -> None:
    """Every string (keys included) must be encodable: no lone surrogates."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _encodable(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                _encodable(key)
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


def _encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadJson("a string contains an invalid character (a lone surrogate)") from None
