"""Community meetings: opening, attendance counts (no names), closing.

A meeting's needs are ordinary needs with channel "meeting" and
needs.meeting_id set (see app.store.needs.insert). Closing a meeting appends
a "meeting" event in the same transaction, so it travels upward with its
attendance counts.
"""

from app.node.clock import now_iso
from schema import vocab

from . import events
from .db import all_rows, one, write


def open_meeting(db, *, title: str, locality: str, date: str, opened_by: int | None) -> int:
    with write(db):
        cur = db.execute(
            "INSERT INTO meetings(title, locality, date, status, opened_by, opened_at)"
            " VALUES (?, ?, ?, 'open', ?, ?)",
            [title, locality, date, opened_by, now_iso()],
        )
    return cur.lastrowid


def get(db, meeting_id: int) -> dict | None:
    return one(
        db,
        """SELECT m.*, (SELECT count(*) FROM needs WHERE meeting_id = m.id) AS needs,
                  (SELECT coalesce(sum(count), 0) FROM meeting_attendance
                   WHERE meeting_id = m.id) AS attendance
           FROM meetings m WHERE m.id = ?""",
        [meeting_id],
    )


def recent(db, limit: int = 50) -> list[dict]:
    """Open meetings first, then the latest closed ones."""
    return all_rows(
        db,
        """SELECT m.*, (SELECT count(*) FROM needs WHERE meeting_id = m.id) AS needs,
                  (SELECT coalesce(sum(count), 0) FROM meeting_attendance
                   WHERE meeting_id = m.id) AS attendance
           FROM meetings m ORDER BY m.status = 'closed', m.date DESC, m.id DESC LIMIT ?""",
        [limit],
    )


def attendance(db, meeting_id: int) -> dict[tuple[str, str], int]:
    """{(gender, age_band): count} of the cells recorded (others are 0)."""
    rows = all_rows(
        db,
        "SELECT gender, age_band, count FROM meeting_attendance WHERE meeting_id = ?",
        [meeting_id],
    )
    return {(r["gender"], r["age_band"]): r["count"] for r in rows}


def set_attendance(db, meeting_id: int, counts: dict[tuple[str, str], int]) -> None:
    """Replace the attendance counts of an open meeting (zero cells are not stored)."""
    for (gender, age_band), count in counts.items():
        if gender not in vocab.GENDERS or age_band not in vocab.AGE_BANDS:
            raise ValueError(f"unknown attendance cell {gender}/{age_band}")
        if not isinstance(count, int) or count < 0:
            raise ValueError("attendance counts are whole numbers from 0")
    with write(db):
        _require_open(db, meeting_id)
        db.execute("DELETE FROM meeting_attendance WHERE meeting_id = ?", [meeting_id])
        for (gender, age_band), count in counts.items():
            if count:
                db.execute(
                    "INSERT INTO meeting_attendance(meeting_id, gender, age_band, count)"
                    " VALUES (?, ?, ?, ?)",
                    [meeting_id, gender, age_band, count],
                )


def close(db, meeting_id: int) -> dict:
    """Close an open meeting and append its "meeting" event (one transaction)."""
    with write(db):
        _require_open(db, meeting_id)
        db.execute(
            "UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ?",
            [now_iso(), meeting_id],
        )
        events.append(db, "meeting", meeting_id)
    return get(db, meeting_id)


class MeetingClosed(Exception):
    """The meeting is closed (or does not exist): nothing more can be recorded."""


def _require_open(db, meeting_id: int) -> None:
    row = one(db, "SELECT status FROM meetings WHERE id = ?", [meeting_id])
    if row is None or row["status"] != "open":
        raise MeetingClosed(meeting_id)
