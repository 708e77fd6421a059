"""Browser sessions kept on the node.

The session cookie carries a random id; the node keeps only its SHA-256 with
the user and an expiry, so signing out, a password change or disabling a user
ends sessions for good (an old cookie finds no row)."""

import datetime as dt
import hashlib

from app.node import clock

from .db import one, write


def id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


def create(db, session_id: str, user_id: int, lifetime: dt.timedelta) -> None:
    now = clock.now()
    with write(db):
        db.execute("DELETE FROM sessions WHERE expires_at <= ?", [now.isoformat(timespec="seconds")])
        db.execute(
            "INSERT INTO sessions(id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            [
                id_hash(session_id),
                user_id,
                now.isoformat(timespec="seconds"),
                (now + lifetime).isoformat(timespec="seconds"),
            ],
        )


def user_for(db, session_id: str) -> dict | None:
    """The enabled user of a live session, with the session's id hash as `session_hash`."""
    return one(
        db,
        "SELECT u.*, s.id_hash AS session_hash FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0",
        [id_hash(session_id), clock.now_iso()],
    )


def end(db, session_id: str) -> None:
    with write(db):
        db.execute("DELETE FROM sessions WHERE id_hash = ?", [id_hash(session_id)])


def end_all_of(db, user_id: int, *, keep_hash: str | None = None) -> None:
    """End every session of USER_ID (but the one whose hash is KEEP_HASH)."""
    with write(db):
        db.execute(
            "DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?", [user_id, keep_hash]
        )


def count_of(db, user_id: int) -> int:
    return one(db, "SELECT count(*) AS n FROM sessions WHERE user_id = ?", [user_id])["n"]
