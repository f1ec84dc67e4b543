"""Password hashes with argon2-cffi (argon2id, its default parameters): no crypto written here."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's default, RFC 9106's low-memory profile: argon2id, 64 MiB, 3 passes, 4 lanes
PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_HASHER = PasswordHasher.from_parameters(PARAMETERS)
MIN_LENGTH = 10
# verified when the account does not exist, so that a wrong name takes as long as a wrong
# password and sign-in does not tell which names exist
DUMMY_HASH = _HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a mismatch, a damaged hash or no hash."""
    try:
        return _HASHER.verify(password_hash or DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def weakness(password: str, name: str) -> str | None:
    """Why a new password is refused, or None: long enough and not the user's own name."""
    if len(password) < MIN_LENGTH:
        return f"the password must have at least {MIN_LENGTH} characters"
    if password.strip().lower() == name.strip().lower():
        return "the password must not be the user name"
    return None
