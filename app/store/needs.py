"""Queries on the node's own needs and their history."""

import datetime as dt
import json
import secrets
import sqlite3

from schema.fields import iso_week

from .db import all_rows, one, write

REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
JSON_FIELDS = ("goals", "groups")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
        "text": need["text"],
        "language": need["language"],
        "category": need["category"],
        "goals": json.dumps(need["goals"]),
        "locality": need["locality"],
        "gender": need["gender"],
        "age_band": need["age_band"],
        "groups": json.dumps(need["groups"]),
        "channel": need["channel"],
        "supporters": need["supporters"],
        "respondent_name": respondent.get("name"),
        "respondent_contact": respondent.get("contact"),
        "consent": int(bool(need.get("consent"))),
        "captured_at": need.get("captured_at"),
        "week": iso_week(need.get("captured_at"), dt.datetime.fromisoformat(received)),
        "received_at": received,
        "updated_at": received,
        "captured_by": captured_by,
        "hidden": int(hidden),
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
            return by_id(db, cur.lastrowid), True
        except sqlite3.IntegrityError as exc:
            existing = by_uuid(db, need["uuid"])
            if existing is not None:
                return existing, False
            if "ref" not in str(exc):
                raise
    raise RuntimeError("could not find a free reference code")


def list_page(db, filters: dict, page: int, per_page: int) -> tuple[list[dict], int]:
    """Needs matching FILTERS (already validated codes), newest first."""
    where, params = ["1 = 1"], []
    for key in ("status", "category", "channel", "language"):
        if filters.get(key):
            where.append(f"{key} = ?")
            params.append(filters[key])
    if filters.get("goal"):
        where.append("EXISTS (SELECT 1 FROM json_each(needs.goals) WHERE value = ?)")
        params.append(int(filters["goal"]))
    if filters.get("locality"):
        where.append("(locality = ? OR locality LIKE ? ESCAPE '\\')")
        loc = filters["locality"].strip("/")
        params += [loc, loc.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"]
    clause = " AND ".join(where)
    total = one(db, f"SELECT count(*) AS n FROM needs WHERE {clause}", params)["n"]
    rows = all_rows(
        db,
        f"SELECT * FROM needs WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
        params + [per_page, (page - 1) * per_page],
    )
    return [_decode(r) for r in rows], total


def count(db) -> int:
    return one(db, "SELECT count(*) AS n FROM needs")["n"]
