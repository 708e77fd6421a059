"""API tokens: high-entropy random strings, stored only as SHA-256 hashes."""

import hashlib
import secrets

PREFIX_LENGTH = 12


def new_token() -> str:
    """A new token; never one that begins with "-", which a command line would read as
    an option (`sauti token revoke PREFIX`)."""
    while True:
        value = secrets.token_urlsafe(32)
        if not value.startswith("-"):
            return value


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
