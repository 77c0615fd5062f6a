"""Password hashing (argon2id), random tokens and their hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import InvalidInput
from app.i18n import lazy

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12
_COMMON_PASSWORDS = Path(__file__).parent / "data" / "common_passwords.txt"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so timing does not reveal unknown accounts.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@lru_cache
def common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in _COMMON_PASSWORDS.read_text().splitlines()
        if line and not line.startswith("#")
    )


def password_problems(password: str) -> list[str]:
    """Untranslated message ids for what is wrong with a new password (empty when fine)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(lazy("Use at least 12 characters."))
    if password.lower() in common_passwords():
        problems.append(lazy("This password is too common; choose another."))
    return problems


def require_new_password(password: str, repeat: str) -> None:
    """Refuse (InvalidInput, every problem listed) a new password that is weak or not the
    same twice: the one check of the invitation and the reset forms."""
    problems = password_problems(password)
    if password != repeat:
        problems.append(lazy("The two passwords are not the same."))
    if problems:
        raise InvalidInput(lazy("The password cannot be used."), errors=problems)
