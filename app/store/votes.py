"""Vote rounds on the order of priorities: each council member's ranking is
kept, and the combined result (app.council.borda.borda) is stored when the round
closes. Applying the result re-ranks the priorities (recorded as such)."""

import json

from app.council.borda import borda, check_ballot
from app.node.clock import now_iso

from . import priorities
from .db import all_rows, one, write


def _decode(row):
    if row is not None:
        row["candidates"] = json.loads(row["candidates"])
        row["result"] = json.loads(row["result"]) if row["result"] else None
    return row


def open_round(db, *, title: str, user: dict | None) -> int:
    """A new round over the active priorities in their current order."""
    candidates = [p["id"] for p in priorities.list_all(db, priorities.ACTIVE)]
    if len(candidates) < 2:
        raise ValueError("a vote needs at least two active priorities")
    with write(db):
        cur = db.execute(
            "INSERT INTO vote_rounds(title, candidates, opened_at, opened_by) VALUES (?, ?, ?, ?)",
            [title, json.dumps(candidates), now_iso(), user and user["id"]],
        )
        return cur.lastrowid


def get(db, round_id: int) -> dict | None:
    return _decode(one(db, "SELECT * FROM vote_rounds WHERE id = ?", [round_id]))


def rounds(db) -> list[dict]:
    return [_decode(r) for r in all_rows(db, "SELECT * FROM vote_rounds ORDER BY id DESC")]


def cast(db, round_id: int, user_id: int, ranking: list[int]) -> None:
    """Store (or replace) a member's full ranking while the round is open."""
    with write(db):
        vote = get(db, round_id)
        if vote is None or vote["status"] != "open":
            raise ValueError("this vote is closed")
        check_ballot(ranking, vote["candidates"])
        db.execute(
            "INSERT INTO vote_ballots(round_id, user_id, ranking, submitted_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(round_id, user_id) DO UPDATE SET "
            "ranking = excluded.ranking, submitted_at = excluded.submitted_at",
            [round_id, user_id, json.dumps(ranking), now_iso()],
        )


def ballots(db, round_id: int) -> list[dict]:
    rows = all_rows(
        db,
        "SELECT b.*, u.username FROM vote_ballots b JOIN users u ON u.id = b.user_id "
        "WHERE b.round_id = ? ORDER BY b.submitted_at, u.username",
        [round_id],
    )
    for row in rows:
        row["ranking"] = json.loads(row["ranking"])
    return rows


def close(db, round_id: int) -> list[dict]:
    """Count the ballots (Borda) and store the result; returns it."""
    with write(db):
        vote = get(db, round_id)
        if vote is None or vote["status"] != "open":
            raise ValueError("this vote is closed")
        cast_ballots = [b["ranking"] for b in ballots(db, round_id)]
        if not cast_ballots:
            raise ValueError("nobody has voted yet")
        result = [
            {"priority": s.candidate, "points": s.points}
            for s in borda(cast_ballots, vote["candidates"])
        ]
        db.execute(
            "UPDATE vote_rounds SET status = 'closed', result = ?, closed_at = ? WHERE id = ?",
            [json.dumps(result), now_iso(), round_id],
        )
        return result


def apply(db, round_id: int, *, user: dict | None) -> None:
    """Rank the priorities as the round's result says."""
    with write(db):
        vote = get(db, round_id)
        if vote is None or not vote["result"]:
            raise ValueError("this vote has no result yet")
        active = {p["id"] for p in priorities.list_all(db, priorities.ACTIVE)}
        order = [r["priority"] for r in vote["result"] if r["priority"] in active]
        priorities.set_ranks(db, order, user=user, action="vote")
        db.execute("UPDATE vote_rounds SET applied_at = ? WHERE id = ?", [now_iso(), round_id])
