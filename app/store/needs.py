"""Queries on the node's own needs and their history."""

import datetime as dt
import json
import secrets
import sqlite3

from app.node import faults
from app.node.clock import now_iso
from schema.fields import iso_week
from schema.need import DESCRIBING_FIELDS, EDITABLE_FIELDS

from . import audio, events, search
from .db import all_rows, is_postgres, one, table_exists, write

REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
JSON_FIELDS = ("goals", "groups")


def ref_prefix(locality: str) -> str:
    letters = [c for c in locality.rsplit("/", 1)[-1].upper() if c in REF_ALPHABET]
    return "".join(letters[:3])


def new_ref(prefix: str) -> str:
    body = "".join(secrets.choice(REF_ALPHABET) for _ in range(6))
    return f"{prefix}-{body}" if prefix else body


def _decode(row: dict | None) -> dict | None:
    if row is None:
        return None
    for key in JSON_FIELDS:
        row[key] = json.loads(row[key])
    row["consent"] = bool(row["consent"])
    row["text_checked"] = bool(row["text_checked"])
    row["hidden"] = bool(row["hidden"])
    respondent = {"name": row["respondent_name"], "contact": row["respondent_contact"]}
    row["respondent"] = respondent if any(respondent.values()) else None
    return row


def by_uuid(db, uuid: str) -> dict | None:
    return _decode(one(db, "SELECT * FROM needs WHERE uuid = ?", [uuid]))


def by_id(db, need_id: int) -> dict | None:
    return _decode(one(db, "SELECT * FROM needs WHERE id = ?", [need_id]))


def by_ref(db, ref: str) -> dict | None:
    return _decode(one(db, "SELECT * FROM needs WHERE ref = ?", [ref]))


def insert(
    db,
    need: dict,
    *,
    submission_hash: str,
    ref_prefix: str = "",
    captured_by: int | None = None,
    hidden: bool = False,
    received_at: str | None = None,
    meeting_id: int | None = None,
    on_insert=None,
) -> tuple[dict, bool]:
    """Store a loaded need; returns (stored need, created?).

    The uuid's UNIQUE constraint decides races: a concurrent insert of the
    same uuid loses and reads the winner. ON_INSERT(db, row) runs inside the
    same transaction (for the event log)."""
    received = received_at or now_iso()
    respondent = need.get("respondent") or {}
    row = {
        "uuid": need["uuid"],
        "submission_hash": submission_hash,
        **{f: json.dumps(need[f]) if f in JSON_FIELDS else need[f] for f in DESCRIBING_FIELDS},
        "respondent_name": respondent.get("name"),
        "respondent_contact": respondent.get("contact"),
        "consent": int(bool(need.get("consent"))),
        "captured_at": need.get("captured_at"),
        "week": iso_week(need.get("captured_at"), dt.datetime.fromisoformat(received)),
        "received_at": received,
        "updated_at": received,
        "captured_by": captured_by,
        "hidden": int(hidden),
        "meeting_id": meeting_id,
    }
    for _attempt in range(5):
        row["ref"] = new_ref(ref_prefix)
        try:
            with write(db):
                cur = db.execute(
                    f"INSERT INTO needs({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
                if on_insert is not None:
                    on_insert(db, by_id(db, cur.lastrowid))
                faults.point("need.insert")
            return by_id(db, cur.lastrowid), True
        except sqlite3.IntegrityError as exc:
            existing = by_uuid(db, need["uuid"])
            if existing is not None:
                return existing, False
            if "ref" not in str(exc):
                raise
    raise RuntimeError("could not find a free reference code")


def _filter_sql(filters: dict, postgres: bool = False) -> tuple[str, list]:
    where, params = ["removed IS NULL"], []
    for key in ("status", "category", "channel", "language"):
        if filters.get(key):
            where.append(f"{key} = ?")
            params.append(filters[key])
    if filters.get("goal"):
        where.append("EXISTS (SELECT 1 FROM json_each(needs.goals) WHERE value = ?)")
        params.append(int(filters["goal"]))
    if filters.get("meeting"):
        where.append("meeting_id = ?")
        params.append(int(filters["meeting"]))
    if filters.get("locality"):
        where.append("(locality = ? OR locality LIKE ? ESCAPE '\\')")
        loc = filters["locality"].strip("/")
        params += [loc, loc.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"]
    if filters.get("q"):
        clause, search_params = search.where(filters["q"], postgres=postgres)
        where.append(clause)
        params += search_params
    return " AND ".join(where), params


def list_page(db, filters: dict, page: int, per_page: int) -> tuple[list[dict], int]:
    """Needs matching FILTERS (already validated codes; `q` full text, `meeting`
    a meeting id), newest first."""
    clause, params = _filter_sql(filters, is_postgres(db))
    total = one(db, f"SELECT count(*) AS n FROM needs WHERE {clause}", params)["n"]
    rows = all_rows(
        db,
        f"SELECT * FROM needs WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
        params + [per_page, (page - 1) * per_page],
    )
    return [_decode(r) for r in rows], total


def count(db) -> int:
    return one(db, "SELECT count(*) AS n FROM needs")["n"]


# Fields an edit may change (status and merging belong to the council's triage).
EDITABLE = EDITABLE_FIELDS


def record_change(db, need_id: int, *, user_id, role, action: str, diff: dict, at: str) -> None:
    """One row of a need's audit trail (call inside the change's transaction)."""
    db.execute(
        "INSERT INTO need_history(need_id, at, user_id, role, action, changes)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [need_id, at, user_id, role, action, json.dumps(diff, ensure_ascii=False)],
    )


def update(db, need_id: int, values: dict, *, user_id=None, role=None) -> tuple[dict, dict]:
    """Edit a need: store the changed EDITABLE fields of VALUES (already
    validated), record who changed what in need_history and append a "need"
    event, all in one transaction. A changed text is no longer checked for
    sharing. Returns (need, {field: [old, new]}); nothing is written when
    nothing changed."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    with write(db):
        current = by_id(db, need_id)
        if current is None:
            raise LookupError(need_id)
        diff = {k: [current[k], v] for k, v in values.items() if current[k] != v}
        if not diff:
            return current, {}
        if "text" in diff and current["text_checked"]:
            diff["text_checked"] = [True, False]
        at = now_iso()
        columns = {k: new for k, (_old, new) in diff.items()}
        for key in JSON_FIELDS:
            if key in columns:
                columns[key] = json.dumps(columns[key])
        if "text_checked" in columns:
            columns["text_checked"] = int(columns["text_checked"])
        columns["updated_at"] = at
        db.execute(
            f"UPDATE needs SET {', '.join(f'{k} = ?' for k in columns)} WHERE id = ?",
            [*columns.values(), need_id],
        )
        record_change(db, need_id, user_id=user_id, role=role, action="edit", diff=diff, at=at)
        events.append(db, "need", need_id)
    return by_id(db, need_id), diff


def add_supporters(
    db, need_id: int, count: int = 1, *, expected: int | None = None, user_id=None, role=None
) -> dict:
    """A "+1": more people raised the same need (at a meeting). Raises its
    supporters (capped at 100,000), recorded in need_history, with a "need"
    event, in one transaction. With EXPECTED (the count the person saw), a
    repeated tap or resent form whose count is already past it changes nothing."""
    with write(db):
        current = by_id(db, need_id)
        if current is None:
            raise LookupError(need_id)
        new = min(current["supporters"] + count, 100_000)
        if expected is not None and current["supporters"] != expected:
            new = current["supporters"]
        if new != current["supporters"]:
            at = now_iso()
            db.execute(
                "UPDATE needs SET supporters = ?, updated_at = ? WHERE id = ?", [new, at, need_id]
            )
            diff = {"supporters": [current["supporters"], new]}
            record_change(
                db, need_id, user_id=user_id, role=role, action="plus_one", diff=diff, at=at
            )
            events.append(db, "need", need_id)
    return by_id(db, need_id)


def mark_text_checked(db, need_id: int, *, user_id=None, role=None) -> dict:
    """A person looked at the scrubbed text and found it fit to share: set
    text_checked, record it, append a "need_text" event (one transaction).
    Marking an already checked text again changes nothing."""
    with write(db):
        current = by_id(db, need_id)
        if current is None:
            raise LookupError(need_id)
        if not current["text_checked"]:
            at = now_iso()
            db.execute(
                "UPDATE needs SET text_checked = 1, updated_at = ? WHERE id = ?", [at, need_id]
            )
            record_change(
                db,
                need_id,
                user_id=user_id,
                role=role,
                action="text_checked",
                diff={"text_checked": [False, True]},
                at=at,
            )
            events.append(db, "need_text", need_id)
    return by_id(db, need_id)


def history(db, need_id: int) -> list[dict]:
    """The need's audit trail, oldest first: at, username, role, action, changes."""
    rows = all_rows(
        db,
        """SELECT h.*, u.username
           FROM need_history h LEFT JOIN users u ON u.id = h.user_id
           WHERE h.need_id = ? ORDER BY h.id""",
        [need_id],
    )
    for row in rows:
        row["changes"] = json.loads(row["changes"])
    return rows


REMOVAL_REASONS = ("spam", "erasure")
PERSONAL_HISTORY_KEYS = ("text", "respondent", "respondent_name", "respondent_contact")
ERASED = "(erased)"


def _forget_history(db, need_id: int) -> None:
    """Earlier versions of a removed need's text and respondent leave its audit trail
    (who changed what and when stays; what it said becomes "(erased)"), and the
    full-text indexes drop every word of it (FTS5 keeps deleted terms until a merge)."""
    for row in all_rows(db, "SELECT id, changes FROM need_history WHERE need_id = ?", [need_id]):
        changes = json.loads(row["changes"] or "{}")
        if not isinstance(changes, dict) or not set(changes) & set(PERSONAL_HISTORY_KEYS):
            continue
        for key in PERSONAL_HISTORY_KEYS:
            if key in changes:
                value = changes[key]
                changes[key] = [ERASED] * len(value) if isinstance(value, list) else ERASED
        db.execute(
            "UPDATE need_history SET changes = ? WHERE id = ?",
            [json.dumps(changes, ensure_ascii=False), row["id"]],
        )
    for table in ("needs_words", "needs_tri"):
        if not is_postgres(db) and table_exists(db, table):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def remove(db, need_id: int, *, reason: str, user_id=None, role=None) -> dict | None:
    """Remove a need as spam or on the citizen's erasure request, in one
    transaction: its text and respondent data are erased, it is hidden from
    every list, count and public page, its audio note is erased
    (app.store.audio.erase_for_need), the audit trail records who removed it
    and why (never what it said; earlier versions of its text leave the trail),
    and a "retraction" event removes it at every level above. Returns the need,
    or None when there is none."""
    if reason not in REMOVAL_REASONS:
        raise ValueError(f"unknown removal reason {reason!r}")
    with write(db):
        need = by_id(db, need_id)
        if need is None or need["removed"]:
            return need
        at = now_iso()
        db.execute(
            "UPDATE needs SET removed = ?, hidden = 1, text = '', respondent_name = NULL, "
            "respondent_contact = NULL, consent = 0, text_checked = 0, submission_hash = '', "
            "updated_at = ? WHERE id = ?",
            [reason, at, need_id],
        )
        _forget_history(db, need_id)
        record_change(
            db,
            need_id,
            user_id=user_id,
            role=role,
            action="removed",
            diff={"reason": reason},
            at=at,
        )
        events.append(db, "retraction", need_id, json.dumps({"kind": "need", "reason": reason}))
        audio.erase_for_need(db, need_id)
    return by_id(db, need_id)
