"""The shared (anonymized) records a parent holds for its subtree: one row per
(origin, key) in shared_needs / shared_meetings / shared_priorities /
shared_actions, always the state with the highest origin seq ("last writer by
sequence number wins", so arrival order does not matter), and tombstones
left by retractions so an older copy arriving late cannot bring a record back.
"""

import json

from app.node.clock import now_iso
from schema.shared import MEETING_FIELDS, NEED_FIELDS

from .counting import SHARED_COUNTED
from .db import all_rows, is_postgres, one, rows_in

TABLES = {
    "need": "shared_needs",
    "meeting": "shared_meetings",
    "priority": "shared_priorities",
    "action": "shared_actions",
}

_COLUMNS = {
    "need": NEED_FIELDS,
    "meeting": MEETING_FIELDS,
    "priority": ("body", "locality", "status", "week"),
    "action": ("priority", "body", "status", "due_week", "done_week"),
}
_JSON = {"goals", "groups", "attendance"}


def _row(kind: str, rec: dict, received_at: str) -> tuple:
    if kind in ("priority", "action"):
        body = json.dumps(
            {k: v for k, v in rec.items() if k not in ("origin",)},
            ensure_ascii=False,
            sort_keys=True,
        )
        rec = dict(rec, body=body)
    values = []
    for col in _COLUMNS[kind]:
        v = rec.get(col)
        values.append(json.dumps(v, ensure_ascii=False) if col in _JSON else v)
    return (rec["origin"], rec["key"], rec["seq"], *values, received_at)


def tombstones(db, kind: str, origins: list[str]) -> dict[tuple[str, str], int]:
    """{(origin, key): seq} of the tombstones of KIND of ORIGINS."""
    sql = "SELECT origin, key, seq FROM shared_tombstones WHERE kind = ? AND origin IN ({marks})"
    return {(r["origin"], r["key"]): r["seq"] for r in rows_in(db, sql, [kind], origins)}


def upsert(db, kind: str, records: list[dict]) -> None:
    """Store the newest state of each record (inside the caller's transaction).

    A row is replaced only by a higher seq; a record older than its tombstone
    is dropped."""
    if not records:
        return
    table, cols = TABLES[kind], _COLUMNS[kind]
    stones = tombstones(db, kind, sorted({rec["origin"] for rec in records}))
    now = now_iso()
    rows = [
        _row(kind, rec, now)
        for rec in records
        if not stones or stones.get((rec["origin"], rec["key"]), 0) < rec["seq"]
    ]
    names = ("origin", "key", "seq", *cols, "received_at")
    updates = ", ".join(f"{c} = excluded.{c}" for c in ("seq", *cols))
    if is_postgres(db):
        _copy_upsert(db, table, names, updates, rows)
        return
    db.conn.executemany(
        f"INSERT INTO {table}({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT(origin, key) DO UPDATE SET {updates} WHERE excluded.seq > {table}.seq",
        rows,
    )


def _copy_upsert(db, table: str, names: tuple, updates: str, rows: list[tuple]) -> None:
    """PostgreSQL: COPY the rows into a scratch table, then one INSERT ... ON
    CONFLICT keeps the highest seq per (origin, key); the roll-up's statement
    triggers fold the whole batch in one pass (migrations/aggregate.py)."""
    stage = f"stage_{table}"
    with db.atomic():  # the scratch rows live until the end of a transaction
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table}) ON COMMIT DELETE ROWS")
        db.execute(f"DELETE FROM {stage}")
        db.copy_rows(stage, names, rows)
        cols = ", ".join(names)
        db.execute(
            f"INSERT INTO {table}({cols}) SELECT DISTINCT ON (origin, key) {cols} FROM {stage} "
            f"ORDER BY origin, key, seq DESC "
            f"ON CONFLICT(origin, key) DO UPDATE SET {updates} WHERE excluded.seq > {table}.seq"
        )


def retract(db, records: list[dict]) -> None:
    """Apply retraction records: keep a tombstone, delete older copies."""
    for rec in records:
        db.execute(
            "INSERT INTO shared_tombstones(origin, kind, key, seq, reason) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(origin, kind, key) DO UPDATE SET seq = excluded.seq, "
            "reason = excluded.reason WHERE excluded.seq > shared_tombstones.seq",
            [rec["origin"], rec["kind"], rec["key"], rec["seq"], rec["reason"]],
        )
        db.execute(
            f"DELETE FROM {TABLES[rec['kind']]} WHERE origin = ? AND key = ? AND seq < ?",
            [rec["origin"], rec["key"], rec["seq"]],
        )


def counts(db) -> dict[str, int]:
    return {
        kind: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for kind, table in TABLES.items()
    }


def needs_summary(db) -> dict:
    """Totals of shared needs: {"needs": n, "supporters": s} (merged needs not counted)."""
    row = one(
        db,
        "SELECT count(*) AS needs, coalesce(sum(supporters), 0) AS supporters FROM shared_needs "
        f"WHERE {SHARED_COUNTED.format(r='shared_needs')}",
    )
    return dict(row)


def any_needs(db) -> bool:
    return db.execute("SELECT 1 FROM shared_needs LIMIT 1").fetchone() is not None


def _need_out(row: dict) -> dict:
    return {
        f: json.loads(row[f]) if f in _JSON else row[f]
        for f in ("origin", "seq", "key", *NEED_FIELDS)
    }


def list_needs(db, filters: dict, offset: int, limit: int) -> tuple[list[dict], int]:
    """Shared needs received from the subtree, filtered like the node's own list
    (plus `origin`), newest arrivals first; (items in API shape, total)."""
    where, params = ["1 = 1"], []
    for key in ("status", "category", "channel", "language", "origin"):
        if filters.get(key):
            where.append(f"{key} = ?")
            params.append(filters[key])
    if filters.get("goal"):
        where.append("EXISTS (SELECT 1 FROM json_each(shared_needs.goals) WHERE value = ?)")
        params.append(int(filters["goal"]))
    if filters.get("locality"):
        loc = filters["locality"].strip("/")
        where.append("(locality = ? OR locality LIKE ? ESCAPE '\\')")
        params += [loc, loc.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"]
    if filters.get("q"):
        where.append("instr(lower(text), lower(?)) > 0")
        params.append(filters["q"])
    clause = " AND ".join(where)
    total = one(db, f"SELECT count(*) AS n FROM shared_needs WHERE {clause}", params)["n"]
    rows = all_rows(
        db,
        f"SELECT * FROM shared_needs WHERE {clause} ORDER BY received_at DESC, origin, seq DESC "
        "LIMIT ? OFFSET ?",
        params + [limit, offset],
    )
    return [_need_out(r) for r in rows], total
