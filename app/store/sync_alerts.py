"""Sync alerts (an admin must see them until cleared) and records held back
from sealing because they failed the shared schema."""

from app.node.clock import now_iso

from .db import all_rows, write

MAX_ALERTS = 500  # the oldest go when more pile up (a hostile child cannot fill the disk)


def add(db, kind: str, message: str, child: str | None = None) -> None:
    """Record an alert (its own transaction unless the caller holds one)."""
    with write(db):
        db.execute(
            "INSERT INTO sync_alerts(kind, message, child, created_at) VALUES (?, ?, ?, ?)",
            [kind, message[:2000], child, now_iso()],
        )
        db.execute(
            "DELETE FROM sync_alerts WHERE id <= (SELECT max(id) FROM sync_alerts) - ?",
            [MAX_ALERTS],
        )


def all_alerts(db) -> list[dict]:
    return all_rows(
        db, "SELECT id, kind, message, child, created_at FROM sync_alerts ORDER BY id DESC"
    )


def clear(db) -> int:
    with write(db):
        return db.execute("DELETE FROM sync_alerts").rowcount


# ------------------------------------------------------------------ held back


def hold(db, seq: int, kind: str, record: str, reason: str) -> None:
    db.execute(
        "INSERT INTO sync_held(seq, kind, record, reason, held_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(seq) DO UPDATE SET reason = excluded.reason",
        [seq, kind, record, reason, now_iso()],
    )


def held(db) -> list[dict]:
    return all_rows(db, "SELECT seq, kind, record, reason, held_at FROM sync_held ORDER BY seq")


def release(db, seqs: list[int]) -> None:
    db.conn.executemany("DELETE FROM sync_held WHERE seq = ?", [(s,) for s in seqs])
