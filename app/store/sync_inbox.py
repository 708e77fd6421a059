"""What a parent received from its subtree: batches, per-(origin, seq) content
hashes, the node keys it can verify, and HTTP upload sessions with their chunks.

Uniqueness is enforced by the tables' constraints (UNIQUE hash, PRIMARY KEY
(origin, seq)); callers read what exists only to tell "known" from "conflict".
"""

import time

from app.node.clock import now_iso

from .db import all_rows, is_postgres, lookup, one, rows_for, rows_in, rows_within, write

# ------------------------------------------------------------------ nodes


def node(db, node_id: str) -> dict | None:
    return one(db, "SELECT * FROM sync_nodes WHERE node_id = ?", [node_id])


def nodes_by_id(db, node_ids: list[str]) -> dict[str, dict]:
    """{node_id: row} of the known nodes among NODE_IDS."""
    sql = "SELECT * FROM sync_nodes WHERE node_id IN ({marks})"
    return {row["node_id"]: row for row in rows_in(db, sql, [], node_ids)}


def nodes(db) -> list[dict]:
    return all_rows(db, "SELECT * FROM sync_nodes ORDER BY first_seen, node_id")


def add_node(
    db,
    node_id: str,
    public_key: str,
    locality: str,
    level: str | None,
    vouched_by: str,
    *,
    direct: bool,
) -> None:
    """Insert a node key (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO sync_nodes(node_id, public_key, locality, level, vouched_by, direct, "
        "first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [node_id, public_key, locality, level, vouched_by, int(direct), now_iso()],
    )


def note_restore(db, node_id: str, restores: int) -> bool:
    """NODE_ID came back behind what this node holds, saying it was restored RESTORES
    times: True (and remembered) when that is more than it said before, i.e. a new
    restore; False for a box that is behind without a new restore (a clone)."""
    with write(db):
        row = one(db, "SELECT rewinds FROM sync_nodes WHERE node_id = ?", [node_id])
        if row is None or restores <= row["rewinds"]:
            return False
        db.execute("UPDATE sync_nodes SET rewinds = ? WHERE node_id = ?", [restores, node_id])
    return True


def mark_direct(db, node_id: str) -> None:
    db.execute("UPDATE sync_nodes SET direct = 1 WHERE node_id = ?", [node_id])


def bind_child(db, child_id: int, node_id: str) -> None:
    db.execute("UPDATE children SET node_id = ? WHERE id = ?", [node_id, child_id])


def child_by_node_id(db, node_id: str) -> dict | None:
    return one(db, "SELECT * FROM children WHERE node_id = ?", [node_id])


def touch_child(db, child_id: int, records: int) -> None:
    db.execute(
        "UPDATE children SET last_seen = ?, records = records + ? WHERE id = ?",
        [now_iso(), records, child_id],
    )


# ---------------------------------------------------------------- batches


def known_batches(db, hashes: list[str]) -> set[str]:
    """The hashes among HASHES of batches stored already."""
    sql = "SELECT hash FROM received_batches WHERE hash IN ({marks})"
    return {row["hash"] for row in rows_in(db, sql, [], hashes)}


def first_overlap(db, batches: list[tuple[str, int, int, str]]) -> dict | None:
    """The first of BATCHES (origin, first seq, last seq, hash) whose seq range
    overlaps a stored batch of its origin with another hash, or None."""
    overlaps = lookup(
        db,
        "received_batches",
        "b",
        "b.origin = q.origin AND b.first_seq <= CAST(q.last_seq AS INTEGER) "
        "AND b.last_seq >= CAST(q.first_seq AS INTEGER) AND b.hash != q.hash",
    )
    sql = (
        "WITH q(origin, first_seq, last_seq, hash) AS (VALUES {rows}) "
        f"SELECT q.origin, q.first_seq, q.last_seq FROM q {overlaps} LIMIT 1"
    )
    return next(iter(rows_for(db, sql, batches)), None)


def insert_batches(db, rows: list[tuple]) -> None:
    """rows: (origin, first_seq, last_seq, hash, data, records, via). PostgreSQL: COPY."""
    at = now_iso()
    rows = [(*row, at) for row in rows]
    cols = ("origin", "first_seq", "last_seq", "hash", "data", "records", "via", "received_at")
    if is_postgres(db):
        db.copy_rows("received_batches", cols, rows)
        return
    db.conn.executemany(
        f"INSERT INTO received_batches({', '.join(cols)}) VALUES ({', '.join('?' * 8)})", rows
    )


def record_hashes(db, ranges: list[tuple[str, int, int]]) -> dict[tuple[str, int], bytes]:
    """{(origin, seq): content hash} of the stored records in RANGES (origin, first, last)."""
    within = lookup(
        db,
        "received_records",
        "r",
        "r.origin = q.origin "
        "AND r.seq BETWEEN CAST(q.first_seq AS INTEGER) AND CAST(q.last_seq AS INTEGER)",
    )
    sql = (
        "WITH q(origin, first_seq, last_seq) AS (VALUES {rows}) "
        f"SELECT r.origin, r.seq, r.hash FROM q {within}"
    )
    return {(row["origin"], row["seq"]): row["hash"] for row in rows_for(db, sql, ranges)}


def insert_records(db, rows: list[tuple]) -> None:
    """rows: (origin, seq, kind, key, hash). A duplicate (origin, seq) fails the
    transaction (PRIMARY KEY), so a record is never stored twice. PostgreSQL: COPY."""
    if is_postgres(db):
        db.copy_rows("received_records", ("origin", "seq", "kind", "key", "hash"), rows)
        return
    db.conn.executemany(
        "INSERT INTO received_records(origin, seq, kind, key, hash) VALUES (?, ?, ?, ?, ?)", rows
    )


def highest_seq(db, origin: str) -> int:
    row = db.execute("SELECT max(seq) FROM received_records WHERE origin = ?", [origin]).fetchone()
    return row[0] or 0


def record_count(db, origin: str | None = None) -> int:
    if origin is None:
        return db.execute("SELECT count(*) FROM received_records").fetchone()[0]
    return db.execute(
        "SELECT count(*) FROM received_records WHERE origin = ?", [origin]
    ).fetchone()[0]


def unforwarded(db, limit_bytes: int | None = None) -> list[dict]:
    """Received batches not yet acknowledged by this node's parent, oldest first."""
    return rows_within(
        db,
        "SELECT id, origin, hash, data, records FROM received_batches WHERE forwarded = 0 "
        "ORDER BY id",
        limit_bytes,
    )


def unforwarded_records(db) -> int:
    row = db.execute(
        "SELECT coalesce(sum(records), 0) FROM received_batches WHERE forwarded = 0"
    ).fetchone()
    return row[0]


def mark_forwarded(db, hashes: list[str]) -> None:
    with write(db):
        db.conn.executemany(
            "UPDATE received_batches SET forwarded = 1 WHERE hash = ?", [(h,) for h in hashes]
        )


# ---------------------------------------------------------------- uploads


def upload(db, upload_id: str) -> dict | None:
    return one(db, "SELECT * FROM sync_uploads WHERE id = ?", [upload_id])


def upload_for(db, child_key: str, bundle_hash: str) -> dict | None:
    return one(
        db,
        "SELECT * FROM sync_uploads WHERE child_key = ? AND bundle_hash = ?",
        [child_key, bundle_hash],
    )


def active_uploads(db, since: float, *, child_key: str | None = None) -> list[dict]:
    sql = "SELECT * FROM sync_uploads WHERE state = 'open' AND updated_at >= ?"
    params: list = [since]
    if child_key is not None:
        sql += " AND child_key = ?"
        params.append(child_key)
    return all_rows(db, sql, params)


def drop_open_uploads(db, child_key: str) -> int:
    """Delete a child's unfinished uploads (it starts another bundle)."""
    with write(db):
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM sync_uploads WHERE child_key = ? AND state = 'open'", [child_key]
            )
        ]
        for upload_id in ids:
            db.execute("DELETE FROM sync_upload_chunks WHERE upload_id = ?", [upload_id])
            db.execute("DELETE FROM sync_uploads WHERE id = ?", [upload_id])
    return len(ids)


def start_upload(db, upload_id: str, child_key: str, bundle_hash: str, size: int) -> dict:
    """A new upload session, or the existing one for the same bundle (resume).
    The UNIQUE (child_key, bundle_hash) constraint decides races."""
    now = time.time()
    with write(db):
        db.execute(
            "INSERT INTO sync_uploads(id, child_key, bundle_hash, size, started_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(child_key, bundle_hash) DO UPDATE SET "
            "updated_at = excluded.updated_at",
            [upload_id, child_key, bundle_hash, size, now, now],
        )
    return upload_for(db, child_key, bundle_hash)


def add_chunk(db, upload_id: str, offset: int, data: bytes) -> int:
    """Store a chunk at OFFSET if it continues the upload; returns the bytes received."""
    with write(db):
        row = one(db, "SELECT received, size, state FROM sync_uploads WHERE id = ?", [upload_id])
        if row is None or row["state"] != "open":
            return -1
        if offset == row["received"] and offset + len(data) <= row["size"]:
            db.execute(
                "INSERT INTO sync_upload_chunks(upload_id, offset, data) VALUES (?, ?, ?)",
                [upload_id, offset, data],
            )
            db.execute(
                "UPDATE sync_uploads SET received = ?, updated_at = ? WHERE id = ?",
                [offset + len(data), time.time(), upload_id],
            )
            return offset + len(data)
        return row["received"]


def upload_bytes(db, upload_id: str) -> bytes:
    return b"".join(
        r[0]
        for r in db.execute(
            "SELECT data FROM sync_upload_chunks WHERE upload_id = ? ORDER BY offset", [upload_id]
        )
    )


def finish_upload(db, upload_id: str, answer: str) -> None:
    """Inside the apply transaction: keep the signed answer, drop the chunks."""
    db.execute(
        "UPDATE sync_uploads SET state = 'done', answer = ?, received = size, updated_at = ? "
        "WHERE id = ?",
        [answer, time.time(), upload_id],
    )
    db.execute("DELETE FROM sync_upload_chunks WHERE upload_id = ?", [upload_id])


def drop_upload(db, upload_id: str) -> None:
    with write(db):
        db.execute("DELETE FROM sync_upload_chunks WHERE upload_id = ?", [upload_id])
        db.execute("DELETE FROM sync_uploads WHERE id = ?", [upload_id])


def cleanup_uploads(db, *, stale_before: float, done_before: float) -> int:
    """Delete partial uploads idle since STALE_BEFORE and finished ones older than
    DONE_BEFORE (epoch seconds); returns how many sessions were removed."""
    with write(db):
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM sync_uploads WHERE (state = 'open' AND updated_at < ?) "
                "OR (state = 'done' AND updated_at < ?)",
                [stale_before, done_before],
            )
        ]
        for upload_id in ids:
            db.execute("DELETE FROM sync_upload_chunks WHERE upload_id = ?", [upload_id])
            db.execute("DELETE FROM sync_uploads WHERE id = ?", [upload_id])
    return len(ids)


def chunk_bytes(db) -> int:
    return db.execute("SELECT coalesce(sum(length(data)), 0) FROM sync_upload_chunks").fetchone()[0]
