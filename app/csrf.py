"""CSRF tokens: signed, and bound to the session they were issued for.

A token is ``nonce.signature``: the signature is an HMAC (with the app's secret key) of the
nonce and the hash of the session cookie the browser holds, none before login. Until login
the nonce is the browser's anonymous pre-session id; a login or logout changes the session
cookie, so a new token is issued with it (rotation), and a token from another session, or
one made up, fails the signature. The token travels in a cookie (``__Host-om_csrf`` over
https: only this host, Secure, path /) and comes back in a form field or htmx's header; both
must be equal and the signature valid for the request's session (``app.auth.deps``).
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode

from app.cookies import CSRF_COOKIE, SECURE_CSRF_COOKIE
from app.security import new_token, tokens_equal


def cookie_name(*, https: bool) -> str:
    return SECURE_CSRF_COOKIE if https else CSRF_COOKIE


def _signature(secret_key: str, session_token: str, nonce: str) -> str:
    session = hashlib.sha256(session_token.encode()).hexdigest() if session_token else "-"
    message = f"csrf\n{session}\n{nonce}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def issue(secret_key: str, session_token: str) -> str:
    """A new token for the session whose cookie holds ``session_token`` ("" before login)."""
    nonce = new_token(18)
    return f"{nonce}.{_signature(secret_key, session_token, nonce)}"


def valid(secret_key: str, session_token: str, token: str) -> bool:
    """Whether ``token`` was issued by this app for this session."""
    nonce, dot, signature = token.partition(".")
    if not (dot and nonce and signature) or len(token) > 200:
        return False
    return tokens_equal(signature, _signature(secret_key, session_token, nonce))
