"""Secrets: agent password hashes, agent session tokens, and signed customer tokens.

Passwords are hashed with scrypt (stdlib); session tokens are random and only their
SHA-256 is stored, so a copy of the database cannot be used to log in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual.hex(), digest)


def new_token() -> tuple[str, str]:
    """A fresh session token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_customer(customer_id: str, expires_at: int, secret: str) -> str:
    """The signed customer token of docs/architecture.md ("Signed customer ids")."""
    head = _b64(json.dumps({"cid": customer_id, "exp": expires_at}, separators=(",", ":")).encode())
    mac = hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest()
    return f"{head}.{_b64(mac)}"


def verify_customer(token: str, secret: str, now: float) -> str | None:
    """The customer id in a valid, unexpired token, else None."""
    head, _, mac = token.partition(".")
    expected = _b64(hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest())
    if not secret or not hmac.compare_digest(mac, expected):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
        return str(claims["cid"]) if float(claims["exp"]) > now else None
    except (ValueError, KeyError, TypeError):
        return None
