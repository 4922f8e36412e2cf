"""Customer tokens prove a customer id only when signed with our secret and unexpired."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from contract.customer_token import InvalidToken, sign_customer_token, verify_customer_token

SECRET = "s3cret-for-tests"
NOW = 1_800_000_000


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forge(payload: dict, secret: str = SECRET) -> str:
    first = b64(json.dumps(payload).encode())
    return first + "." + b64(hmac.new(secret.encode(), first.encode(), hashlib.sha256).digest())


def test_a_signed_token_verifies_to_its_customer_id():
    """Round trip: sign then verify returns the customer id."""
    token = sign_customer_token("C1001", SECRET, now=NOW)
    assert verify_customer_token(token, SECRET, now=NOW + 10) == "C1001"


def test_token_follows_the_documented_format():
    """The token is unpadded base64url JSON with cid and exp, then the HMAC-SHA256."""
    token = sign_customer_token("C1003", SECRET, ttl_seconds=60, now=NOW)
    first, sig = token.split(".")
    assert "=" not in token
    assert json.loads(base64.urlsafe_b64decode(first + "==")) == {"cid": "C1003", "exp": NOW + 60}
    assert sig == b64(hmac.new(SECRET.encode(), first.encode(), hashlib.sha256).digest())


def test_a_token_built_by_another_implementation_verifies():
    """A host site following the documented recipe produces tokens we accept."""
    assert (
        verify_customer_token(forge({"cid": "C1040", "exp": NOW + 5}), SECRET, now=NOW) == "C1040"
    )


def test_an_expired_token_is_rejected():
    """At or after exp the token is refused as expired."""
    token = sign_customer_token("C1001", SECRET, ttl_seconds=60, now=NOW)
    with pytest.raises(InvalidToken, match="expired"):
        verify_customer_token(token, SECRET, now=NOW + 60)


def test_a_token_signed_with_another_secret_is_rejected():
    """A different secret gives a bad signature."""
    token = sign_customer_token("C1001", "other-secret", now=NOW)
    with pytest.raises(InvalidToken, match="bad signature"):
        verify_customer_token(token, SECRET, now=NOW)


def test_a_tampered_customer_id_is_rejected():
    """Swapping the payload for another customer's keeps the old signature, which fails."""
    token = sign_customer_token("C1001", SECRET, now=NOW)
    other = b64(json.dumps({"cid": "C1002", "exp": NOW + 3600}, separators=(",", ":")).encode())
    with pytest.raises(InvalidToken, match="bad signature"):
        verify_customer_token(other + "." + token.split(".")[1], SECRET, now=NOW)


def test_a_tampered_signature_is_rejected():
    """Changing one character of the signature fails verification."""
    token = sign_customer_token("C1001", SECRET, now=NOW)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(InvalidToken, match="bad signature"):
        verify_customer_token(flipped, SECRET, now=NOW)


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b.c", ".sig", "payload.", "not base64!.sig", "x" * 2000, None, 42],
)
def test_garbage_is_reported_as_bad_format(token):
    """Anything that is not two base64url parts is a format error."""
    with pytest.raises(InvalidToken, match="bad format"):
        verify_customer_token(token, SECRET, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "payload, reason",
    [
        ({"exp": NOW + 60}, "cid"),
        ({"cid": "C1001"}, "exp"),
        ({"cid": "C1001", "exp": "tomorrow"}, "exp"),
        ({"cid": "C1001", "exp": True}, "exp"),
        ({"cid": "DROP TABLE", "exp": NOW + 60}, "cid"),
        (["C1001", NOW + 60], "not an object"),
    ],
)
def test_correctly_signed_but_malformed_payloads_are_rejected(payload, reason):
    """Even with a valid signature, a payload without a proper cid and exp is refused."""
    with pytest.raises(InvalidToken, match=reason):
        verify_customer_token(forge(payload), SECRET, now=NOW)


def test_signing_rejects_a_malformed_customer_id():
    """Only ids like C1001 can be signed."""
    with pytest.raises(ValueError, match="C1001"):
        sign_customer_token("1001; drop", SECRET, now=NOW)


def test_an_empty_secret_is_refused():
    """An unset secret is a configuration error, not a token anyone can forge."""
    with pytest.raises(ValueError, match="CUSTOMER_TOKEN_SECRET"):
        sign_customer_token("C1001", "", now=NOW)
    with pytest.raises(ValueError, match="CUSTOMER_TOKEN_SECRET"):
        verify_customer_token(forge({"cid": "C1001", "exp": NOW + 1}), "", now=NOW)


def test_signature_comparison_is_constant_time(monkeypatch):
    """The signature is compared with hmac.compare_digest."""
    import contract.customer_token as verify

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(verify.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    verify_customer_token(sign_customer_token("C1001", SECRET, now=NOW), SECRET, now=NOW)
    assert calls == [1]
