"""Priorities: what the council decided to work on, ranked, with the needs
they group and the evidence behind them.

Adding an accepted need to a priority makes it "planned"; removing it makes
it "accepted" again (both through app.store.triage, so they are recorded).
Every change appends a "priority" event in the same transaction.
"""

import json
from collections import Counter

from app.node.clock import now_iso
from schema.vocab import GROUPS, YOUTH

from . import events, triage
from .db import all_rows, one, write

STATUSES = ("open", "in_progress", "done", "dropped")
ACTIVE = ("open", "in_progress")


def _decode(row):
    if row is not None:
        row["goals"] = json.loads(row["goals"])
        row["text_checked"] = bool(row["text_checked"])
    return row


def get(db, priority_id: int) -> dict | None:
    return _decode(one(db, "SELECT * FROM priorities WHERE id = ?", [priority_id]))


def list_all(db, statuses=STATUSES) -> list[dict]:
    """Priorities in the council's order: active ones by rank, then the rest."""
    marks = ", ".join("?" * len(statuses))
    rows = all_rows(
        db,
        f"SELECT * FROM priorities WHERE status IN ({marks}) "
        "ORDER BY status NOT IN ('open','in_progress'), rank IS NULL, rank, id",
        list(statuses),
    )
    return [_decode(r) for r in rows]


def _history(db, priority_id: int, user, action: str, changes: dict, at: str) -> None:
    db.execute(
        "INSERT INTO priority_history(priority_id, at, user_id, role, action, changes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            priority_id,
            at,
            user and user["id"],
            user and user["role"],
            action,
            json.dumps(changes, ensure_ascii=False),
        ],
    )
    events.append(db, "priority", priority_id)


def history(db, priority_id: int) -> list[dict]:
    rows = all_rows(
        db,
        "SELECT h.*, u.username FROM priority_history h LEFT JOIN users u ON u.id = h.user_id "
        "WHERE h.priority_id = ? ORDER BY h.id",
        [priority_id],
    )
    for row in rows:
        row["changes"] = json.loads(row["changes"])
    return rows


def create(
    db,
    *,
    title: str,
    description: str,
    goals: list[int],
    locality: str,
    user: dict | None,
    need_ids=(),
) -> int:
    """A new priority at the bottom of the ranking; NEED_IDS become planned."""
    with write(db):
        at = now_iso()
        last = one(
            db, "SELECT max(rank) AS r FROM priorities WHERE status IN ('open','in_progress')"
        )
        cur = db.execute(
            "INSERT INTO priorities(title, description, goals, locality, rank, status, "
            "created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            [
                title,
                description,
                json.dumps(sorted(set(goals))),
                locality,
                (last["r"] or 0) + 1,
                at,
                user and user["id"],
                at,
            ],
        )
        priority_id = cur.lastrowid
        _history(db, priority_id, user, "create", {"title": [None, title]}, at)
        for need_id in need_ids:
            add_need(db, priority_id, need_id, user=user)
        return priority_id


def update(db, priority_id: int, *, user: dict | None, **fields) -> dict:
    """Change title, description, goals, locality, status or text_checked."""
    allowed = {"title", "description", "goals", "locality", "status", "text_checked"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    if "status" in fields and fields["status"] not in STATUSES:
        raise ValueError(f"unknown status {fields['status']!r}")
    with write(db):
        old = get(db, priority_id)
        if old is None:
            raise triage.TriageError("unknown_priority")
        changes = {k: [old[k], v] for k, v in fields.items() if old[k] != v}
        if not changes:
            return old
        at = now_iso()
        values = {k: json.dumps(sorted(set(v))) if k == "goals" else v for k, v in fields.items()}
        values = {k: int(v) if k == "text_checked" else v for k, v in values.items()}
        sets = ", ".join(f"{k} = ?" for k in values)
        db.execute(
            f"UPDATE priorities SET {sets}, updated_at = ? WHERE id = ?",
            [*values.values(), at, priority_id],
        )
        _history(db, priority_id, user, "update", changes, at)
        return get(db, priority_id)


def add_need(db, priority_id: int, need_id: int, *, user: dict | None) -> None:
    """Group an accepted need under the priority (it becomes planned)."""
    with write(db):
        triage.change_status(db, need_id, "planned", user=user)
        at = now_iso()
        db.execute(
            "INSERT INTO priority_needs(priority_id, need_id, added_at) VALUES (?, ?, ?)",
            [priority_id, need_id, at],
        )
        ref = one(db, "SELECT ref FROM needs WHERE id = ?", [need_id])["ref"]
        _history(db, priority_id, user, "add_need", {"need": [None, ref]}, at)


def remove_need(db, priority_id: int, need_id: int, *, user: dict | None) -> None:
    """Take a need out of the priority (it becomes accepted again)."""
    with write(db):
        row = one(
            db,
            "SELECT n.ref FROM priority_needs p JOIN needs n ON n.id = p.need_id "
            "WHERE p.priority_id = ? AND p.need_id = ?",
            [priority_id, need_id],
        )
        if row is None:
            raise triage.TriageError("not_in_priority")
        triage.change_status(db, need_id, "accepted", user=user)  # also unlinks it
        _history(db, priority_id, user, "remove_need", {"need": [row["ref"], None]}, now_iso())


def resolve_needs(db, priority_id: int, *, user: dict | None) -> int:
    """Mark every planned need of the priority resolved; returns how many."""
    with write(db):
        ids = [
            r["id"]
            for r in all_rows(
                db,
                "SELECT n.id FROM priority_needs p JOIN needs n ON n.id = p.need_id "
                "WHERE p.priority_id = ? AND n.status = 'planned'",
                [priority_id],
            )
        ]
        for need_id in ids:
            triage.change_status(db, need_id, "resolved", user=user)
        return len(ids)


def move(db, priority_id: int, step: int, *, user: dict | None) -> None:
    """Move an active priority up (step -1) or down (+1) the ranking."""
    with write(db):
        order = [p["id"] for p in list_all(db, ACTIVE)]
        if priority_id not in order:
            raise triage.TriageError("unknown_priority")
        i = order.index(priority_id)
        j = i + step
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
            set_ranks(db, order, user=user)


def set_ranks(db, ordered_ids: list[int], *, user: dict | None, action: str = "rank") -> None:
    """Rank the given priorities 1, 2, 3 ... in this order (others keep theirs
    after them)."""
    with write(db):
        at = now_iso()
        rest = [p["id"] for p in list_all(db, ACTIVE) if p["id"] not in ordered_ids]
        for rank, pid in enumerate([*ordered_ids, *rest], start=1):
            old = one(db, "SELECT rank FROM priorities WHERE id = ?", [pid])
            if old and old["rank"] != rank:
                db.execute(
                    "UPDATE priorities SET rank = ?, updated_at = ? WHERE id = ?", [rank, at, pid]
                )
                _history(db, pid, user, action, {"rank": [old["rank"], rank]}, at)


def needs_of(db, priority_id: int) -> list[dict]:
    rows = all_rows(
        db,
        "SELECT n.id, n.ref, n.text, n.language, n.category, n.locality, n.status, "
        "n.supporters, n.respondent_name FROM priority_needs p JOIN needs n ON n.id = p.need_id "
        "WHERE p.priority_id = ? ORDER BY n.id",
        [priority_id],
    )
    return rows


def priority_of_need(db, need_id: int) -> dict | None:
    row = one(db, "SELECT priority_id FROM priority_needs WHERE need_id = ?", [need_id])
    return get(db, row["priority_id"]) if row else None


_EVIDENCE_SQL = """
WITH RECURSIVE ev(need_id, priority_id, top) AS (
    SELECT need_id, priority_id, 1 FROM priority_needs
    UNION
    SELECT n.id, ev.priority_id, 0 FROM needs n JOIN ev ON n.merged_into = ev.need_id
    WHERE n.status = 'merged'
)
SELECT ev.priority_id, ev.top, n.gender, n.age_band, n.groups, n.locality, n.supporters
FROM ev JOIN needs n ON n.id = ev.need_id
"""


def evidence(db) -> dict[int, dict]:
    """Per priority id: the evidence behind it.

    Counted over the needs it groups plus every need merged into them (each
    such need is one person or group who raised it): `needs`, `supporters`
    (the sum over the grouped needs, which already include merged ones),
    `women`, `youth` and `groups` {group: n} (numbers of those needs whose
    respondent was a woman, aged 15-24, or of the group), and `localities`
    {locality: n}."""
    found: dict[int, dict] = {}
    for row in db.query(_EVIDENCE_SQL):
        ev = found.setdefault(
            row["priority_id"],
            {
                "needs": 0,
                "supporters": 0,
                "women": 0,
                "youth": 0,
                "groups": Counter(),
                "localities": Counter(),
            },
        )
        ev["needs"] += 1
        if row["top"]:
            ev["supporters"] += row["supporters"]
        ev["women"] += row["gender"] == "female"
        ev["youth"] += row["age_band"] == YOUTH
        for group in json.loads(row["groups"]):
            if group in GROUPS:
                ev["groups"][group] += 1
        ev["localities"][row["locality"]] += 1
    return found


EMPTY_EVIDENCE = {
    "needs": 0,
    "supporters": 0,
    "women": 0,
    "youth": 0,
    "groups": Counter(),
    "localities": Counter(),
}
