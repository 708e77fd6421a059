"""Need statuses as the council changes them: the one transition table,
status changes with their history records, merging and un-merging.

Every change runs in one transaction together with its need_history row and
its "need_status" event (kiosk needs still waiting, hidden=1, get no event:
they have not been shared yet). Flask-free: callers pass the acting user as
a dict with "id" and "role" (or None for the system).
"""

import json

from app.node import faults
from app.node.clock import now_iso

from . import events, needs
from .db import all_rows, is_postgres, one, write
from .needs import by_id, history  # noqa: F401  (history is part of this module's API)

# The allowed status changes, in one place. "merged" is left only by un-merge
# (which restores the status the need had before); merging is done by merge().
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"accepted", "merged", "set_aside"}),
    "accepted": frozenset({"planned", "merged", "set_aside"}),
    "set_aside": frozenset({"new"}),  # reopen
    "planned": frozenset({"resolved", "accepted"}),
    "merged": frozenset(),  # only un-merge, back to the previous status
    "resolved": frozenset({"accepted"}),  # reopen
}

SET_ASIDE_REASONS = ("duplicate", "out_of_remit", "not_enough_information", "already_done", "other")


class TriageError(ValueError):
    """A change the rules refuse; `code` is stable, `params` fill the message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def allowed(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def _history(db, need_id: int, user: dict | None, action: str, changes: dict, at: str) -> None:
    needs.record_change(
        db,
        need_id,
        user_id=user["id"] if user else None,
        role=user["role"] if user else None,
        action=action,
        diff=changes,
        at=at,
    )


def _event(db, need: dict, old: str, new: str) -> None:
    if not need["hidden"]:
        events.append(db, "need_status", need["id"], json.dumps({"from": old, "to": new}))


def _set_status(db, need: dict, new: str, user, changes: dict, at: str, **columns) -> None:
    sets = ", ".join([f"{col} = ?" for col in ["status", "updated_at", *columns]])
    db.execute(
        f"UPDATE needs SET {sets} WHERE id = ?",
        [new, at, *columns.values(), need["id"]],
    )
    _history(db, need["id"], user, "status", {"status": [need["status"], new], **changes}, at)
    _event(db, need, need["status"], new)


def _need(db, need_id: int) -> dict:
    need = by_id(db, need_id)
    if need is None:
        raise TriageError("unknown_need", need=need_id)
    if need["removed"]:
        raise TriageError("removed")
    return need


def change_status(
    db,
    need_id: int,
    new: str,
    *,
    user: dict | None,
    reason: str | None = None,
    note: str | None = None,
) -> dict:
    """Move a need to status NEW if the table allows it; returns the need.

    Setting aside needs a REASON from SET_ASIDE_REASONS (NOTE is free text).
    Merging goes through merge(), leaving "merged" through unmerge()."""
    with write(db):
        need = _need(db, need_id)
        old = need["status"]
        if new == "merged":
            raise TriageError("use_merge")
        if old == "merged":
            raise TriageError("use_unmerge")
        if not allowed(old, new):
            raise TriageError("invalid_transition", old=old, new=new)
        changes = {}
        if new == "set_aside":
            if reason not in SET_ASIDE_REASONS:
                raise TriageError("reason_required")
            changes["reason"] = [None, reason]
        note = (note or "").strip()
        if note:
            changes["note"] = [None, note[:1000]]
        if new == "accepted":  # reopened or taken out of its priority
            db.execute("DELETE FROM priority_needs WHERE need_id = ?", [need_id])
        _set_status(db, need, new, user, changes, now_iso())
        faults.point("triage.status")
        return by_id(db, need_id)


def merge(db, need_id: int, into_id: int, *, user: dict | None) -> dict:
    """Mark NEED_ID a duplicate of INTO_ID: its supporters move over.

    Refused for the need itself, a target that is merged or set aside, or a
    need whose status may not become "merged". Returns the target need."""
    with write(db):
        need, target = _need(db, need_id), _need(db, into_id)
        if need_id == into_id:
            raise TriageError("merge_into_itself")
        if not allowed(need["status"], "merged"):
            raise TriageError("invalid_transition", old=need["status"], new="merged")
        if target["status"] in ("merged", "set_aside"):
            raise TriageError("bad_merge_target", status=target["status"])
        if target["hidden"] and not need["hidden"]:
            raise TriageError("bad_merge_target", status="hidden")
        at = now_iso()
        db.execute(
            "INSERT INTO need_merges(need_id, into_id, previous_status, supporters, "
            "merged_at, merged_by) VALUES (?, ?, ?, ?, ?, ?)",
            [need_id, into_id, need["status"], need["supporters"], at, user and user["id"]],
        )
        _set_status(
            db,
            need,
            "merged",
            user,
            {"merged_into": [None, target["ref"]]},
            at,
            merged_into=into_id,
        )
        _add_supporters(db, target, need["supporters"], user, at, {"merged": [None, need["ref"]]})
        return by_id(db, into_id)


def _add_supporters(db, target: dict, delta: int, user, at: str, extra: dict) -> None:
    new_total = target["supporters"] + delta
    db.execute(
        "UPDATE needs SET supporters = ?, updated_at = ? WHERE id = ?",
        [new_total, at, target["id"]],
    )
    _history(
        db,
        target["id"],
        user,
        "merge" if delta > 0 else "unmerge",
        {"supporters": [target["supporters"], new_total], **extra},
        at,
    )
    if not target["hidden"]:
        events.append(db, "need", target["id"])


def merge_many(db, need_ids: list[int], into_id: int, *, user: dict | None) -> dict:
    """Merge every need of NEED_IDS (except INTO_ID) into INTO_ID, all or none."""
    with write(db):
        for need_id in need_ids:
            if need_id != into_id:
                merge(db, need_id, into_id, user=user)
        return by_id(db, into_id)


def active_merge(db, need_id: int) -> dict | None:
    return one(
        db,
        "SELECT * FROM need_merges WHERE need_id = ? AND unmerged_at IS NULL "
        "ORDER BY id DESC LIMIT 1",
        [need_id],
    )


def unmerge(db, need_id: int, *, user: dict | None) -> dict:
    """Undo a merge exactly: the target gives back the supporters it got,
    the need gets its previous status back. Returns the need."""
    with write(db):
        need = _need(db, need_id)
        row = active_merge(db, need_id)
        if need["status"] != "merged" or row is None:
            raise TriageError("not_merged")
        target = _need(db, row["into_id"])
        if target["status"] == "merged":
            raise TriageError("target_merged", ref=target["ref"])
        at = now_iso()
        db.execute(
            "UPDATE need_merges SET unmerged_at = ?, unmerged_by = ? WHERE id = ?",
            [at, user and user["id"], row["id"]],
        )
        _add_supporters(db, target, -row["supporters"], user, at, {"merged": [need["ref"], None]})
        _set_status(
            db,
            need,
            row["previous_status"],
            user,
            {"merged_into": [target["ref"], None]},
            at,
            merged_into=None,
        )
        return by_id(db, need_id)


def merged_into(db, need_id: int) -> list[dict]:
    """The needs currently merged into NEED_ID."""
    return all_rows(
        db,
        "SELECT id, ref, text, supporters, language FROM needs "
        "WHERE merged_into = ? AND status = 'merged' ORDER BY id",
        [need_id],
    )


def queue(db, statuses=("new",), *, hidden: bool = False, limit: int = 500) -> list[dict]:
    """Needs waiting for triage, grouped by the caller (category, locality)."""
    marks = ", ".join("?" * len(statuses))
    rows = all_rows(
        db,
        f"SELECT id, ref, text, language, category, locality, gender, age_band, supporters, "
        f"status, hidden, received_at, captured_at FROM needs WHERE status IN ({marks}) AND hidden = ? "
        f"AND removed IS NULL "
        f"ORDER BY category, locality, id DESC LIMIT ?",
        [*statuses, int(hidden), limit],
    )
    return rows


def counts_by_status(db) -> dict[str, int]:
    rows = all_rows(
        db, "SELECT status, count(*) AS n FROM needs WHERE hidden = 0 GROUP BY status", []
    )
    return {r["status"]: r["n"] for r in rows}


def candidates_for_similarity(db, limit: int) -> list[dict]:
    """The most recent new or accepted visible needs (for duplicate suggestions)."""
    return all_rows(
        db,
        "SELECT id, ref, text, category, language, status, supporters, locality, captured_at "
        "FROM needs WHERE status IN ('new','accepted') AND hidden = 0 "
        "ORDER BY id DESC LIMIT ?",
        [limit],
    )


def _queue_where(statuses, filters: dict, hidden: bool, postgres: bool) -> tuple[str, list]:
    clause, params = needs._filter_sql(
        {k: filters.get(k) for k in ("category", "locality", "q") if filters.get(k)}, postgres
    )
    marks = ", ".join("?" * len(statuses))
    return (
        f"{clause} AND status IN ({marks}) AND hidden = ?",
        [*params, *statuses, int(hidden)],
    )


def queue_page(
    db, statuses=("new",), *, filters: dict, page: int, per_page: int, hidden: bool = False
) -> tuple[list[dict], int]:
    """One page of the needs waiting (FILTERS: category, locality prefix, q full
    text), in the queue's order, and how many match in all."""
    clause, params = _queue_where(statuses, filters, hidden, is_postgres(db))
    total = one(db, f"SELECT count(*) AS n FROM needs WHERE {clause}", params)["n"]
    rows = all_rows(
        db,
        f"SELECT id, ref, text, language, category, locality, gender, age_band, supporters, "
        f"status, hidden, received_at, captured_at FROM needs WHERE {clause} "
        f"ORDER BY category, locality, id DESC LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    return rows, total


def queue_facets(db, statuses=("new",), *, hidden: bool = False) -> dict[str, dict[str, int]]:
    """{"category": {code: n}, "locality": {code: n}} of the needs waiting."""
    marks = ", ".join("?" * len(statuses))
    facets: dict[str, dict[str, int]] = {}
    for column in ("category", "locality"):  # fixed identifiers, not input
        rows = all_rows(
            db,
            f"SELECT {column} AS k, count(*) AS n FROM needs WHERE status IN ({marks}) "
            f"AND hidden = ? AND removed IS NULL GROUP BY {column} ORDER BY {column}",
            [*statuses, int(hidden)],
        )
        facets[column] = {r["k"]: r["n"] for r in rows}
    return facets
