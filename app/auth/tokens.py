"""API tokens: high-entropy random strings, stored only as SHA-256 hashes."""

import hashlib
import secrets

PREFIX_LENGTH = 12


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
