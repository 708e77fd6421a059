"""Queries on users, API tokens and failed-login counters."""

import datetime as dt
import hmac
import time

from app.node import clock

from . import sessions
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
    """Lock an account and end all its sessions (its tokens stop working too)."""
    with write(db):
        db.execute("UPDATE users SET disabled = 1 WHERE id = ?", [user_id])
        sessions.end_all_of(db, user_id)


def enable(db, user_id: int) -> None:
    with write(db):
        db.execute("UPDATE users SET disabled = 0 WHERE id = ?", [user_id])


def set_password(db, user_id: int, password_hash: str, *, keep_session: str | None = None) -> None:
    """Set a new password and end the user's sessions (all but the one whose
    hash is KEEP_SESSION: a user changing their own password stays signed in)."""
    with write(db):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])
        sessions.end_all_of(db, user_id, keep_hash=keep_session)


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

FORGET_AFTER = 86_400  # seconds: failures older than a day are forgotten


def failures(db, key: str) -> tuple[int, float]:
    row = db.execute("SELECT failures, last_at FROM login_failures WHERE key = ?", [key]).fetchone()
    return (row[0], row[1]) if row else (0, 0.0)


def claim_attempt(db, budgets: dict[str, int], delay, now: float | None = None) -> int:
    """Atomically decide whether a sign-in may check a password now.

    BUDGETS maps each throttling key to its number of free failures; DELAY(failures,
    free) gives the seconds a key must wait. In one write transaction: when any key
    still has to wait, nothing is written and the longest wait is returned; else the
    attempt is counted as a failure for every key (undone by `attempt_succeeded`) and
    0 is returned. Parallel attempts queue on the write lock, so after a delay exactly
    one of them checks a password."""
    now = time.time() if now is None else now
    with write(db):
        db.execute("DELETE FROM login_failures WHERE last_at < ?", [now - FORGET_AFTER])
        wait = 0.0
        for key, free in budgets.items():
            failures_now, last_at = failures(db, key)
            wait = max(wait, last_at + delay(failures_now, free) - now)
        if wait > 0:
            return int(wait + 0.999)
        record_failure(db, list(budgets), now)
    return 0


def attempt_succeeded(db, clear: list[str], refund: list[str]) -> None:
    """A correct password: forget the failures of CLEAR, take back the attempt
    counted against REFUND (keys shared with other accounts, like an address)."""
    with write(db):
        clear_failures(db, clear)
        for key in refund:
            db.execute(
                "UPDATE login_failures SET failures = max(failures - 1, 0) WHERE key = ?", [key]
            )


def record_failure(db, keys: list[str], now: float | None = None) -> None:
    with write(db):
        for key in keys:
            db.execute(
                "INSERT INTO login_failures(key, failures, last_at) VALUES (?, 1, ?) "
                "ON CONFLICT(key) DO UPDATE SET failures = login_failures.failures + 1, last_at = excluded.last_at",
                [key, time.time() if now is None else now],
            )


def clear_failures(db, keys: list[str]) -> None:
    with write(db):
        db.conn.executemany("DELETE FROM login_failures WHERE key = ?", [[k] for k in keys])
