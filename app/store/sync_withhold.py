"""Queries of sync.withhold: find the stored batches (received from the subtree, or
this node's own unacknowledged ones) that hold a record, and put back their bytes
with some texts withheld."""

from .db import all_rows, lookup, one, rows_for


def versions_sql(db) -> str:
    """The query of `versions`, for rows_for (its one parameter: the kind)."""
    same = "r.origin = q.origin AND r.key = q.key AND r.kind = ?"
    return "WITH q(origin, key) AS (VALUES {rows}) SELECT r.origin, r.key, r.seq FROM q " + (
        lookup(db, "received_records", "r", same)
    )


def versions(db, kind: str, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """{(origin, key): [seq, ...]} of the received records of KIND of PAIRS (origin, key)."""
    out: dict[tuple[str, str], list[int]] = {}
    for row in rows_for(db, versions_sql(db), pairs, params=[kind]):
        out.setdefault((row["origin"], row["key"]), []).append(row["seq"])
    return out


def tombstones(db, kind: str, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """{(origin, key): seq} of the tombstones of KIND among PAIRS (origin, key)."""
    same = "t.origin = q.origin AND t.key = q.key AND t.kind = ?"
    sql = "WITH q(origin, key) AS (VALUES {rows}) SELECT t.origin, t.key, t.seq FROM q " + (
        lookup(db, "shared_tombstones", "t", same)
    )
    return {(r["origin"], r["key"]): r["seq"] for r in rows_for(db, sql, pairs, params=[kind])}


def received_batch_at(db, origin: str, seq: int) -> dict | None:
    return one(
        db,
        "SELECT id, hash, data, forwarded FROM received_batches WHERE origin = ? "
        "AND first_seq <= ? AND last_seq >= ? ORDER BY id LIMIT 1",
        [origin, seq, seq],
    )


def put_received(db, batch_id: int, data: bytes, *, forwarded: bool | None = None) -> None:
    db.execute("UPDATE received_batches SET data = ? WHERE id = ?", [data, batch_id])
    if forwarded:
        db.execute("UPDATE received_batches SET forwarded = 1 WHERE id = ?", [batch_id])


def unacked_own(db) -> list[dict]:
    return all_rows(
        db, "SELECT id, hash, data FROM sync_outbox WHERE acked = 0 AND length(data) > 0"
    )


def put_own(db, batch_id: int, data: bytes) -> None:
    db.execute("UPDATE sync_outbox SET data = ? WHERE id = ?", [data, batch_id])


def drop_outgoing_with(db, hashes: set[str]) -> None:
    """Forget the bundle an interrupted push was sending when it holds one of the
    batches HASHES (its bytes hold texts since withheld); the next push builds anew."""
    row = one(db, "SELECT own_hashes, forwarded_ids FROM sync_outgoing")
    if row is None:
        return
    listed = f"{row['own_hashes']} {row['forwarded_ids']}"
    if any(h in listed for h in hashes):
        db.execute("DELETE FROM sync_outgoing")
