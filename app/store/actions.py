"""Action plans: what is done for a priority, by which office, with which
budget and dates, and dated progress notes.

Responsible is a role or an office ("Ward water committee"), never a user
account. Every change appends an "action" event in the same transaction.
Overdue means: a due date before today and a status other than done; the
caller passes `today`, so the rule is testable with a fixed date.
"""

import datetime as dt

from app.node.clock import now_iso

from . import events
from .db import all_rows, one, write

STATUSES = ("planned", "in_progress", "done", "blocked")
FIELDS = (
    "what",
    "responsible",
    "budget_amount",
    "budget_currency",
    "start_date",
    "due_date",
    "status",
)


def is_overdue(action: dict, today: dt.date) -> bool:
    """True when the action is due before TODAY and not done."""
    due = action.get("due_date")
    return bool(due) and action["status"] != "done" and dt.date.fromisoformat(due) < today


def _mark(rows: list[dict], today: dt.date) -> list[dict]:
    for row in rows:
        row["overdue"] = is_overdue(row, today)
    return rows


def get(db, action_id: int, *, today: dt.date) -> dict | None:
    row = one(db, "SELECT * FROM actions WHERE id = ?", [action_id])
    return _mark([row], today)[0] if row else None


def of_priority(db, priority_id: int, *, today: dt.date) -> list[dict]:
    rows = all_rows(
        db,
        "SELECT * FROM actions WHERE priority_id = ? ORDER BY due_date IS NULL, due_date, id",
        [priority_id],
    )
    return _mark(rows, today)


def all_actions(db, *, today: dt.date) -> list[dict]:
    rows = all_rows(
        db,
        "SELECT a.*, p.title AS priority_title FROM actions a "
        "JOIN priorities p ON p.id = a.priority_id ORDER BY a.due_date IS NULL, a.due_date, a.id",
    )
    return _mark(rows, today)


def overdue(db, *, today: dt.date) -> list[dict]:
    rows = all_rows(
        db,
        "SELECT a.*, p.title AS priority_title FROM actions a "
        "JOIN priorities p ON p.id = a.priority_id "
        "WHERE a.due_date IS NOT NULL AND a.due_date < ? AND a.status != 'done' "
        "ORDER BY a.due_date, a.id",
        [today.isoformat()],
    )
    return _mark(rows, today)


def due_between(db, start: dt.date, end: dt.date, *, today: dt.date) -> list[dict]:
    """Actions not done whose due date is on or before END (overdue ones too)."""
    rows = all_rows(
        db,
        "SELECT a.*, p.title AS priority_title FROM actions a "
        "JOIN priorities p ON p.id = a.priority_id "
        "WHERE a.status != 'done' AND a.due_date IS NOT NULL AND a.due_date <= ? "
        "ORDER BY a.due_date, a.id",
        [end.isoformat()],
    )
    return _mark(rows, today)


def create(db, priority_id: int, **fields) -> int:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    with write(db):
        at = now_iso()
        values = {"status": "planned", **fields}
        if values["status"] == "done":
            values["done_date"] = at[:10]
        cols = ["priority_id", *values, "created_at", "updated_at"]
        cur = db.execute(
            f"INSERT INTO actions({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [priority_id, *values.values(), at, at],
        )
        events.append(db, "action", cur.lastrowid)
        return cur.lastrowid


def update(db, action_id: int, **fields) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    with write(db):
        old = one(db, "SELECT status, done_date FROM actions WHERE id = ?", [action_id])
        if old is None:
            raise KeyError(action_id)
        at = now_iso()
        values = dict(fields)
        if values.get("status") == "done" and old["status"] != "done":
            values["done_date"] = at[:10]
        elif "status" in values and values["status"] != "done":
            values["done_date"] = None
        sets = ", ".join(f"{k} = ?" for k in values)
        db.execute(
            f"UPDATE actions SET {sets}, updated_at = ? WHERE id = ?",
            [*values.values(), at, action_id],
        )
        events.append(db, "action", action_id)


def check_texts(db, priority_id: int, checked: bool) -> None:
    """Mark the texts of every action of a priority (what, who, progress notes) as
    read and fit to share, or not: the council checks them with the priority's own
    (share_text=reviewed shares only checked texts)."""
    with write(db):
        ids = [r["id"] for r in all_rows(db, "SELECT id FROM actions WHERE priority_id = ?",
                                         [priority_id])]  # fmt: skip
        for action_id in ids:
            db.execute(
                "UPDATE actions SET text_checked = ?, updated_at = ? WHERE id = ?",
                [int(checked), now_iso(), action_id],
            )
            events.append(db, "action", action_id)


def add_note(db, action_id: int, *, date: str, note: str, user_id: int | None) -> int:
    """A progress note; a new text is unread, so the action's texts wait for a new check."""
    with write(db):
        cur = db.execute(
            "INSERT INTO action_notes(action_id, date, note, created_at, user_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [action_id, date, note, now_iso(), user_id],
        )
        db.execute(
            "UPDATE actions SET updated_at = ?, text_checked = 0 WHERE id = ?", [now_iso(), action_id]
        )
        events.append(db, "action", action_id)
        return cur.lastrowid


def notes(db, action_id: int) -> list[dict]:
    return all_rows(
        db,
        "SELECT * FROM action_notes WHERE action_id = ? ORDER BY date DESC, id DESC",
        [action_id],
    )


def latest_note_by_priority(db) -> dict[int, dict]:
    """Per priority id: its most recent progress note (with the action's what)."""
    rows = all_rows(
        db,
        "SELECT a.priority_id, a.what, a.text_checked, n.date, n.note FROM action_notes n "
        "JOIN actions a ON a.id = n.action_id ORDER BY n.date, n.id",
    )
    return {r["priority_id"]: r for r in rows}
