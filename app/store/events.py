"""The append-only event log: one row per shareable change, in seq order.

An event names what changed (kind + record key, e.g. ("need", "17")); the
shared form is built from the record's current state when a bundle is made,
so the log itself never holds personal data. Call `append` inside the same
transaction as the change it records.
"""

from app.node.clock import now_iso

KINDS = (
    "need",  # captured or edited
    "need_status",  # status changed (incl. merge / un-merge)
    "need_text",  # text checked for sharing, or corrected
    "retraction",  # removed as spam / erasure request / personal data slipped through
    "meeting",  # meeting closed (with attendance counts)
    "priority",
    "action",
    "enrolment",  # a child enrolled (forwarded up so grandparents can verify)
)


def append(db, kind: str, record: str, payload: str = "{}") -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    cur = db.execute(
        "INSERT INTO events(kind, record, payload, created_at) VALUES (?, ?, ?, ?)",
        [kind, str(record), payload, now_iso()],
    )
    return cur.lastrowid


def since(db, seq: int, limit: int = 10_000) -> list[dict]:
    return list(db.query("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit]))


def last_seq(db) -> int:
    row = db.execute("SELECT max(seq) FROM events").fetchone()
    return row[0] or 0
