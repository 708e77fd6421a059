"""Queries of the public intake channels (kiosk, paper import, SMS) and of the
respondent-contact retention job."""

import json

from app.node.clock import now_iso

from . import events
from .db import all_rows, write
from .needs import by_id, record_change

ERASED = "(erased)"  # what need_history shows instead of an erased value


def accept_kiosk_need(db, need_id: int, user: dict | None) -> dict | None:
    """Make a hidden (kiosk) need visible: hidden=0, a need_history row
    (action "accept_kiosk") and a "need" event, in one transaction.

    Returns the need, or None when there is no such need. A need that is
    already visible is returned unchanged (nothing recorded twice)."""
    with write(db):
        need = by_id(db, need_id)
        if need is None or not need["hidden"] or need["removed"]:
            return need
        at = now_iso()
        db.execute("UPDATE needs SET hidden = 0, updated_at = ? WHERE id = ?", [at, need_id])
        record_change(
            db,
            need_id,
            user_id=user["id"] if user else None,
            role=user["role"] if user else None,
            action="accept_kiosk",
            diff={"hidden": [True, False]},
            at=at,
        )
        events.append(db, "need", need_id)
    return by_id(db, need_id)


def status_changes(db, need_id: int) -> list[dict]:
    """The need's status changes, oldest first: [{"at", "status"}] (no user data)."""
    out = []
    for row in all_rows(
        db, "SELECT at, changes FROM need_history WHERE need_id = ? ORDER BY at, id", [need_id]
    ):
        try:
            change = json.loads(row["changes"] or "null")
        except ValueError:
            continue
        status = change.get("status") if isinstance(change, dict) else None
        if isinstance(status, list) and len(status) > 1 and status[1]:
            out.append({"at": row["at"], "status": status[1]})
    return out


def submission_hashes(db, uuids: list[str]) -> dict[str, str]:
    """{uuid: submission_hash} of the given uuids that are already stored."""
    if not uuids:
        return {}
    rows = all_rows(
        db,
        "SELECT uuid, submission_hash FROM needs WHERE uuid IN (SELECT value FROM json_each(?))",
        [json.dumps(uuids)],
    )
    return {r["uuid"]: r["submission_hash"] for r in rows}


def erase_contacts_before(db, cutoff: str, rewrite=None) -> int:
    """Erase respondent_contact of needs received before CUTOFF (ISO time, UTC,
    the same form as received_at); one need_history row (action "retention")
    per need, without the erased value. REWRITE(text, contact) -> text, when
    given, takes the contact out of the need's text and out of the texts in its
    history too (it could not be recognised there once erased). Returns how many
    were erased."""
    with write(db):
        rows = all_rows(
            db,
            "SELECT id, text, respondent_contact FROM needs "
            "WHERE respondent_contact IS NOT NULL AND received_at < ?",
            [cutoff],
        )
        ids = [r["id"] for r in rows]
        if not ids:
            return 0
        for row in rows if rewrite is not None else []:
            _rewrite_texts(db, row, rewrite)
        at = now_iso()
        changes = json.dumps({"respondent_contact": [ERASED, None]})
        db.execute(
            "UPDATE needs SET respondent_contact = NULL "
            "WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
            [json.dumps(ids)],
        )
        db.conn.executemany(
            "INSERT INTO need_history(need_id, at, user_id, role, action, changes) "
            "VALUES (?, ?, NULL, NULL, 'retention', ?)",
            [(i, at, changes) for i in ids],
        )
    return len(ids)


def _rewrite_texts(db, row: dict, rewrite) -> None:
    contact = row["respondent_contact"]
    new = rewrite(row["text"], contact)
    if new != row["text"]:
        db.execute("UPDATE needs SET text = ? WHERE id = ?", [new, row["id"]])
    for h in all_rows(db, "SELECT id, changes FROM need_history WHERE need_id = ?", [row["id"]]):
        changes = json.loads(h["changes"] or "{}")
        text = changes.get("text") if isinstance(changes, dict) else None
        if isinstance(text, list) and all(isinstance(t, str) or t is None for t in text):
            fixed = [rewrite(t, contact) if t else t for t in text]
            if fixed != text:
                changes["text"] = fixed
                db.execute(
                    "UPDATE need_history SET changes = ? WHERE id = ?",
                    [json.dumps(changes, ensure_ascii=False), h["id"]],
                )
