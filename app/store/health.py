"""Queries behind `sauti doctor` (app/node/doctor.py): integrity, the newest
record's time, the oldest record still waiting to sync."""

from .db import is_postgres, one


def integrity_problems(db, *, quick: bool = False, limit: int = 5) -> list[str]:
    """SQLite's integrity_check (or quick_check): [] when the database is sound.
    PostgreSQL checks its own pages (checksums, WAL); there: [] when it answers."""
    if is_postgres(db):
        return [] if db.execute("SELECT 1").fetchone()[0] == 1 else ["no answer"]
    pragma = "quick_check" if quick else "integrity_check"
    rows = [r[0] for r in db.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()]
    return [] if rows == ["ok"] else rows


def newest_record_time(db) -> str | None:
    """The latest time this node wrote: a need received or an event logged."""
    needs = one(db, "SELECT max(received_at) AS t FROM needs")["t"]
    events = one(db, "SELECT max(created_at) AS t FROM events")["t"]
    times = [t for t in (needs, events) if t]
    return max(times) if times else None


def oldest_pending_time(db, acked_seq: int) -> str | None:
    """When the oldest own event not yet acknowledged by the parent was logged."""
    return one(db, "SELECT min(created_at) AS t FROM events WHERE seq > ?", [acked_seq])["t"]
