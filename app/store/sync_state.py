"""The node's place in the tree and its sync cursor (parent, children, acked seq)."""

import sqlite3

from app.node.clock import now_iso

from . import sync_alerts
from .db import all_rows, one, rows_within, write


def get(db, key: str) -> str | None:
    row = one(db, "SELECT value FROM sync_state WHERE key = ?", [key])
    return row["value"] if row else None


def put(db, **values) -> None:
    with write(db):
        for key, value in values.items():
            db.execute(
                "INSERT INTO sync_state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, None if value is None else str(value)],
            )


def parent(db) -> dict | None:
    return one(db, "SELECT url, public_key FROM parent WHERE id = 1")


def set_parent(db, url: str, public_key: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO parent(id, url, public_key, set_at) VALUES (1, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET url = excluded.url, public_key = excluded.public_key, "
            "set_at = excluded.set_at",
            [url, public_key, now_iso()],
        )


def children(db) -> list[dict]:
    return all_rows(
        db, "SELECT name, public_key, node_id, last_seen, records FROM children ORDER BY name"
    )


def add_child(db, name: str, public_key: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO children(name, public_key, enrolled_at) VALUES (?, ?, ?)",
            [name, public_key, now_iso()],
        )


def child_by_key(db, public_key: str) -> dict | None:
    return one(db, "SELECT * FROM children WHERE public_key = ?", [public_key])


def pending(db) -> int:
    """Records waiting to sync: own events after the acknowledged seq, plus (when
    a parent is set) records received from children and not yet forwarded."""
    acked = int(get(db, "acked_seq") or 0)
    own = one(db, "SELECT count(*) AS n FROM events WHERE seq > ?", [acked])["n"]
    if parent(db) is None:
        return own
    forward = one(
        db, "SELECT coalesce(sum(records), 0) AS n FROM received_batches WHERE forwarded = 0"
    )["n"]
    return own + forward


def summary(db) -> dict:
    return {
        "parent": parent(db),
        "children": [
            {"name": c["name"], "public_key": c["public_key"], "last_seen": c["last_seen"]}
            for c in children(db)
        ],
        "pending": pending(db),
        "last_sync": get(db, "last_success"),
        "last_error": get(db, "last_error"),
        "last_attempt": get(db, "last_attempt"),
        "bytes_sent": int(get(db, "bytes_sent") or 0),
        "acked_seq": int(get(db, "acked_seq") or 0),
        "alerts": [
            {k: a[k] for k in ("kind", "message", "child", "created_at")}
            for a in sync_alerts.all_alerts(db)
        ],
        "held_back": len(sync_alerts.held(db)),
    }


# --------------------------------------------------------- own batches (outbox)
# Added by the sync area: this node's origin-signed batches and the cursor of
# what its parent acknowledged.


def acked_seq(db) -> int:
    return int(get(db, "acked_seq") or 0)


def batched_seq(db) -> int:
    """Highest event seq already sealed into one of this node's batches."""
    row = db.execute("SELECT max(last_seq) FROM sync_outbox").fetchone()
    return max(row[0] or 0, int(get(db, "batched_floor") or 0))


def last_batch_hash(db) -> str:
    row = one(db, "SELECT hash FROM sync_outbox ORDER BY last_seq DESC LIMIT 1")
    return row["hash"] if row else ""


def add_batch(db, *, first: int, last: int, batch_hash: str, data: bytes, records: int) -> None:
    """Inside the caller's transaction."""
    db.execute(
        "INSERT INTO sync_outbox(first_seq, last_seq, hash, data, records, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [first, last, batch_hash, data, records, now_iso()],
    )


def unacked_batches(db, limit_bytes: int | None = None) -> list[dict]:
    return rows_within(
        db,
        "SELECT id, first_seq, last_seq, hash, data, records FROM sync_outbox WHERE acked = 0 "
        "ORDER BY first_seq",
        limit_bytes,
    )


def ack_batches(db, hashes: list[str]) -> int:
    """Mark own batches acknowledged and advance acked_seq over the contiguous
    acknowledged prefix; returns the new acked_seq."""
    with write(db):
        db.conn.executemany(
            "UPDATE sync_outbox SET acked = 1 WHERE hash = ?", [(h,) for h in hashes]
        )
        first_open = one(db, "SELECT min(first_seq) AS s FROM sync_outbox WHERE acked = 0")["s"]
        if first_open is None:
            top = one(db, "SELECT max(last_seq) AS s FROM sync_outbox")["s"] or 0
        else:
            top = first_open - 1
        new = max(acked_seq(db), top)
        put(db, acked_seq=new)
        # acknowledged batches are not needed any more: keep the hashes, drop the bytes
        db.execute("UPDATE sync_outbox SET data = ? WHERE acked = 1 AND length(data) > 0", [b""])
    return new


def drop_unacked_from(db, first_seq: int) -> int:
    """Drop own unacknowledged batches from FIRST_SEQ on (the parent holds none of
    them), and the bundle being sent, so their events are sealed again."""
    with write(db):
        n = db.execute(
            "DELETE FROM sync_outbox WHERE acked = 0 AND first_seq >= ?", [first_seq]
        ).rowcount
        db.execute("DELETE FROM sync_outgoing")
        if int(get(db, "batched_floor") or 0) >= first_seq:
            put(db, batched_floor=first_seq - 1)
    return n


def skip_to(db, seq: int) -> list[tuple[str, str, str]]:
    """After a restore: the parent already holds this node's records up to SEQ.

    Moves the event sequence past SEQ, drops events up to SEQ that were never
    sealed into a batch, and returns their (kind, record, payload) so the caller can log
    them again (their current state then travels with fresh seqs)."""
    with write(db):
        floor = batched_seq(db)
        dropped = [
            (r["kind"], r["record"], r["payload"])
            for r in db.query(
                "SELECT kind, record, payload FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
                [floor, seq],
            )
        ]
        db.execute("DELETE FROM events WHERE seq > ? AND seq <= ?", [floor, seq])
        db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'", [seq])
        if db.execute("SELECT changes()").fetchone()[0] == 0:
            db.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('events', ?)", [seq])
        put(db, batched_floor=max(floor, seq))
    return dropped


def outgoing(db) -> dict | None:
    return one(db, "SELECT * FROM sync_outgoing WHERE id = 1")


def set_outgoing(db, bundle_hash: str, data: bytes, own: list[str], forwarded: list[str]) -> None:
    import json

    with write(db):
        db.execute(
            "INSERT INTO sync_outgoing(id, hash, data, own_hashes, forwarded_ids, created_at) "
            "VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, "
            "data = excluded.data, own_hashes = excluded.own_hashes, "
            "forwarded_ids = excluded.forwarded_ids, created_at = excluded.created_at",
            [bundle_hash, data, json.dumps(own), json.dumps(forwarded), now_iso()],
        )


def clear_outgoing(db) -> None:
    with write(db):
        db.execute("DELETE FROM sync_outgoing")


def add_bytes_sent(db, n: int) -> None:
    with write(db):
        total = int(get(db, "bytes_sent") or 0) + n
        put(db, bytes_sent=total)


KEY_TABLES = {"need": "needs", "meeting": "meetings", "priority": "priorities", "action": "actions"}


def max_ids(db) -> dict[str, int]:
    """Highest local row number per shareable kind (for key epochs after a restore)."""
    out = {}
    for kind, table in KEY_TABLES.items():
        try:
            out[kind] = db.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
        except sqlite3.OperationalError:  # a feature area's table may not exist yet
            out[kind] = 0
    return out


def key_epochs(db) -> list[dict]:
    import json

    return json.loads(get(db, "key_epochs") or "[]")


def add_key_epoch(db) -> None:
    """After a restore: rows created from now on get keys that cannot collide with
    records the parent received from before the restore."""
    import json

    epochs = key_epochs(db)
    epochs.append({"epoch": len(epochs) + 1, "floors": max_ids(db)})
    put(db, key_epochs=json.dumps(epochs))
