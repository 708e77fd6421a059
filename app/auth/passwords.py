"""argon2id password hashes, one at a time so a small box is not starved."""

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_lock = threading.Lock()

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    with _lock:
        return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    with _lock:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def dummy_verify() -> None:
    """Spend the same time as a real check, for unknown user names."""
    verify(_DUMMY, "not the password")


_DUMMY = _hasher.hash("dummy password for timing")
