"""Password hashing with argon2id (argon2-cffi), checked in constant time.

A hash carries its own parameters, so ``needs_rehash`` tells when the library's defaults have moved
on and a successful sign-in should store a fresh hash. An unknown account name is checked against
a dummy hash, so a wrong name costs as long as a wrong password and the two cannot be told apart.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from luna_core.errors import ValidationError

_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("luna-dummy-password-for-unknown-accounts")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; with no hash (unknown account, or one without
    a password), a dummy is checked so that the answer takes the same time, and is False."""
    try:
        matched = _HASHER.verify(stored_hash or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def check_strength(password: str, minimum: int, name: str | None = None) -> None:
    """Refuse a password a person could be talked out of in seconds."""
    if len(password or "") < minimum:
        raise ValidationError(f"Please choose a password of at least {minimum} characters "
                              "(a few unrelated words work well).")
    if name and password.strip().lower() == name.strip().lower():
        raise ValidationError("The password cannot be the account's name.")
