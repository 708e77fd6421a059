"""Enrolled kiosk devices: a name and the hash of the device token the kiosk keeps.

The token itself is shown once, to the admin who enrols the device (as a link
and a QR code), and is never stored: only its SHA-256 is.
"""

import hashlib
import secrets

from app.node.clock import now_iso

from .db import all_rows, one, write

TOKEN_BYTES = 24
MAX_TOKEN = 100  # characters; anything longer is not one of ours


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def enrol(db, name: str, *, created_by: int | None) -> tuple[int, str]:
    """A new kiosk device called NAME: (its id, its token)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write(db):
        cursor = db.execute(
            "INSERT INTO kiosk_devices(name, token_hash, created_at, created_by)"
            " VALUES (?, ?, ?, ?)",
            [name, token_hash(token), now_iso(), created_by],
        )
    return cursor.lastrowid, token


def by_token(db, token: str | None) -> dict | None:
    """The enrolled, not revoked device holding TOKEN, or None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    return one(
        db,
        "SELECT id, name, created_at FROM kiosk_devices"
        " WHERE token_hash = ? AND revoked_at IS NULL",
        [token_hash(token)],
    )


def revoke(db, device_id: int) -> bool:
    """Revoke device DEVICE_ID; False when there is no such device still active."""
    with write(db):
        cursor = db.execute(
            "UPDATE kiosk_devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [now_iso(), device_id],
        )
    return cursor.rowcount == 1


def listing(db) -> list[dict]:
    return all_rows(
        db,
        "SELECT id, name, created_at, revoked_at FROM kiosk_devices"
        " ORDER BY revoked_at IS NOT NULL, id DESC LIMIT 200",
    )
