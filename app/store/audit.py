"""The administration audit list: who changed what, when (never a password or token)."""

import json

from app.node import clock

from .db import all_rows, one, write


def record(db, actor: str, action: str, target: str = "", details: dict | None = None) -> None:
    with write(db):
        db.execute(
            "INSERT INTO audit(at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)",
            [clock.now_iso(), actor, action, target,
             json.dumps(details or {}, ensure_ascii=False, sort_keys=True)],
        )  # fmt: skip


def page(db, page: int, per_page: int) -> tuple[list[dict], int]:
    """The newest entries first."""
    rows = all_rows(
        db,
        "SELECT at, actor, action, target, details FROM audit ORDER BY id DESC LIMIT ? OFFSET ?",
        [per_page, (page - 1) * per_page],
    )
    for row in rows:
        row["details"] = json.loads(row["details"])
    return rows, one(db, "SELECT count(*) AS n FROM audit")["n"]
