"""The node's place in the tree and its sync cursor (parent, children, acked seq)."""

import datetime as dt

from .db import all_rows, one, write


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
            [url, public_key, _now()],
        )


def children(db) -> list[dict]:
    return all_rows(
        db, "SELECT name, public_key, node_id, last_seen, records FROM children ORDER BY name"
    )


def add_child(db, name: str, public_key: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO children(name, public_key, enrolled_at) VALUES (?, ?, ?)",
            [name, public_key, _now()],
        )


def child_by_key(db, public_key: str) -> dict | None:
    return one(db, "SELECT * FROM children WHERE public_key = ?", [public_key])


def pending(db) -> int:
    acked = int(get(db, "acked_seq") or 0)
    return one(db, "SELECT count(*) AS n FROM events WHERE seq > ?", [acked])["n"]


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
    }
