"""Queries on users, API tokens and failed-login counters."""

import datetime as dt
import hmac
import time

from app.node import clock

from .db import all_rows, one, write


def by_name(db, username: str) -> dict | None:
    return one(db, "SELECT * FROM users WHERE username = ?", [username])


def by_id(db, user_id: int) -> dict | None:
    return one(db, "SELECT * FROM users WHERE id = ?", [user_id])


def list_users(db) -> list[dict]:
    return all_rows(
        db, "SELECT id, username, role, disabled, created_at FROM users ORDER BY username"
    )


def add(db, username: str, role: str, password_hash: str) -> int:
    with write(db):
        cur = db.execute(
            "INSERT INTO users(username, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            [username, role, password_hash, clock.now_iso()],
        )
        return cur.lastrowid


def disable(db, user_id: int) -> None:
    with write(db):
        db.execute(
            "UPDATE users SET disabled = 1, session_version = session_version + 1 WHERE id = ?",
            [user_id],
        )


def set_password(db, user_id: int, password_hash: str) -> None:
    with write(db):
        db.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
            [password_hash, user_id],
        )


# --- tokens -----------------------------------------------------------------


def add_token(db, user_id: int, prefix: str, token_hash: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO tokens(user_id, prefix, hash, created_at) VALUES (?, ?, ?, ?)",
            [user_id, prefix, token_hash, clock.now_iso()],
        )


def user_for_token(db, token_hash: str, prefix: str) -> dict | None:
    """The enabled user owning an unrevoked token, compared in constant time."""
    rows = all_rows(
        db,
        "SELECT t.id AS token_id, t.hash, t.last_used_at, u.* FROM tokens t "
        "JOIN users u ON u.id = t.user_id "
        "WHERE t.prefix = ? AND t.revoked_at IS NULL AND u.disabled = 0",
        [prefix],
    )
    for row in rows:
        if hmac.compare_digest(row["hash"], token_hash):
            return row
    return None


def touch_token(db, token_id: int, last_used_at: str | None) -> None:
    """Record use, at most once an hour, so reads rarely write."""
    now = clock.now()
    if last_used_at and now - dt.datetime.fromisoformat(last_used_at) < dt.timedelta(hours=1):
        return
    with write(db):
        db.execute(
            "UPDATE tokens SET last_used_at = ? WHERE id = ?",
            [now.isoformat(timespec="seconds"), token_id],
        )


def tokens_matching(db, prefix: str) -> list[dict]:
    """Unrevoked tokens whose beginning matches PREFIX."""
    rows = all_rows(
        db,
        "SELECT t.id, t.prefix, u.username FROM tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.revoked_at IS NULL AND t.prefix LIKE ? ESCAPE '\\'",
        [prefix[:12].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
    )
    return rows


def revoke_token(db, token_id: int) -> None:
    with write(db):
        db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", [clock.now_iso(), token_id])


def list_tokens(db) -> list[dict]:
    return all_rows(
        db,
        "SELECT t.prefix, u.username, t.created_at, t.last_used_at, t.revoked_at "
        "FROM tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id",
    )


# --- failed logins ------------------------------------------------------------


def failures(db, key: str) -> tuple[int, float]:
    row = db.execute("SELECT failures, last_at FROM login_failures WHERE key = ?", [key]).fetchone()
    return (row[0], row[1]) if row else (0, 0.0)


def record_failure(db, keys: list[str]) -> None:
    with write(db):
        for key in keys:
            db.execute(
                "INSERT INTO login_failures(key, failures, last_at) VALUES (?, 1, ?) "
                "ON CONFLICT(key) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at",
                [key, time.time()],
            )


def clear_failures(db, keys: list[str]) -> None:
    with write(db):
        db.conn.executemany("DELETE FROM login_failures WHERE key = ?", [[k] for k in keys])
