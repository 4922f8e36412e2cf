"""The signed customer token: how a host site vouches for a signed-in customer.

Token: ``base64url(json({"cid": "C1001", "exp": <unix seconds>})) + "." +
base64url(hmac_sha256(secret, first part))``, both parts without padding. The handoff
service mints one for the demo store page; the action server verifies the one a customer's
widget forwards. Both import this module, so the two cannot drift apart.

    ValueError              a customer id, lifetime or secret that cannot be signed
    └── InvalidToken(reason)    bad format, bad signature or expired
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time

CUSTOMER_ID_RE = re.compile(r"^C\d{4,}$")
MAX_TOKEN_LENGTH = 1024


class InvalidToken(ValueError):
    """The token cannot be trusted; ``reason`` says why (never the secret or the signature)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_customer_id(value: object) -> bool:
    """True for ids like ``C1001``, the only ones a token may carry."""
    return isinstance(value, str) and CUSTOMER_ID_RE.match(value) is not None


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise InvalidToken("bad format: not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidToken("bad format: not base64url") from None


def _key(secret: str | bytes) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not key:
        raise ValueError("the customer token secret is empty (set CUSTOMER_TOKEN_SECRET)")
    return key


def _signature(secret: str | bytes, payload_part: str) -> str:
    digest = hmac.new(_key(secret), payload_part.encode("ascii"), hashlib.sha256).digest()
    return _b64encode(digest)


def sign_customer_token(
    customer_id: str, secret: str | bytes, ttl_seconds: int = 3600, now: float | None = None
) -> str:
    """A token that proves ``customer_id`` for ``ttl_seconds`` from ``now``."""
    if not is_customer_id(customer_id):
        raise ValueError(f"customer id must look like C1001, got {customer_id!r}")
    if ttl_seconds <= 0:
        raise ValueError(f"ttl_seconds must be positive, got {ttl_seconds}")
    issued = time.time() if now is None else now
    body = json.dumps({"cid": customer_id, "exp": int(issued + ttl_seconds)}, separators=(",", ":"))
    payload_part = _b64encode(body.encode("utf-8"))
    return f"{payload_part}.{_signature(secret, payload_part)}"


def verify_customer_token(token: str, secret: str | bytes, now: float | None = None) -> str:
    """The customer id the token proves; raises ``InvalidToken`` otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("bad format: not a token")
    parts = token.split(".")
    if len(parts) != 2 or not all(parts):
        raise InvalidToken("bad format: expected two dot-separated parts")
    payload_part, signature = parts
    for part in parts:  # format first, so garbage is reported as such
        _b64decode(part)
    # Check the signature before reading the payload: unsigned data is never interpreted.
    if not hmac.compare_digest(_signature(secret, payload_part), signature):
        raise InvalidToken("bad signature")
    try:
        payload = json.loads(_b64decode(payload_part))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidToken("bad format: payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidToken("bad format: payload is not an object")
    cid, exp = payload.get("cid"), payload.get("exp")
    if not is_customer_id(cid):
        raise InvalidToken("bad format: cid missing or malformed")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise InvalidToken("bad format: exp missing or not a number")
    current = time.time() if now is None else now
    if current >= exp:
        raise InvalidToken("expired")
    return str(cid)
