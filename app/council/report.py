"""The council meeting report: one printable page with the top priorities,
the evidence for each, the decisions taken since the last meeting and the
actions due — for a council that works from paper."""

import datetime as dt
import json
from collections import Counter

from flask import render_template, request

from app.auth.permissions import requires
from app.database import get_db, node
from app.errors import AppError
from app.store import actions as action_store
from app.store import council as store
from app.store import meetings as meeting_store
from app.store import priorities as priority_store

from .blueprint import bp
from .common import today
from .priorities import _evidence_view

TOP = 5
DUE_AHEAD_DAYS = 30


def month_period(month: str | None) -> tuple[dt.date, dt.date]:
    """(first day, first day of the next month) of YYYY-MM (default: this month)."""
    try:
        first = dt.date.fromisoformat(f"{month}-01") if month else today().replace(day=1)
    except ValueError:
        raise AppError(404) from None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following


def meeting_period(db, meeting_id: int) -> tuple[dict, dt.date, dt.date]:
    """The meeting and its period: from the day after the previous meeting
    (or 30 days before) to the meeting day, inclusive (end is exclusive)."""
    meeting = meeting_store.get(db, meeting_id)
    if meeting is None:
        raise AppError(404)
    day = dt.date.fromisoformat(meeting["date"])
    before = store.meeting_before(db, meeting)
    start = (
        dt.date.fromisoformat(before["date"]) + dt.timedelta(days=1)
        if before and before["date"] < meeting["date"]
        else day - dt.timedelta(days=30)
    )
    return meeting, start, day + dt.timedelta(days=1)


def decisions(db, start: dt.date, end: dt.date) -> dict:
    """What the council decided between START and END (exclusive)."""
    need_rows = store.need_decisions(db, start.isoformat(), end.isoformat())
    by_status = Counter()
    for row in need_rows:
        changes = json.loads(row["changes"])
        by_status[changes["status"][1]] += 1
    priority_rows = []
    for row in store.priority_decisions(db, start.isoformat(), end.isoformat()):
        row["changes"] = json.loads(row["changes"])
        if row["action"] in ("create", "update", "vote"):
            priority_rows.append(row)
    return {"needs": sorted(by_status.items()), "priorities": priority_rows}


@bp.route("/report", endpoint="report")
@requires("triage")
def report():
    db = get_db()
    meeting = None
    if request.args.get("meeting", type=int):
        meeting, start, end = meeting_period(db, request.args.get("meeting", type=int))
    else:
        start, end = month_period(request.args.get("month"))
    evidence = priority_store.evidence(db)
    top = priority_store.list_all(db, priority_store.ACTIVE)[:TOP]
    for item in top:
        item["evidence"] = _evidence_view(evidence.get(item["id"]))
    ahead = max(end, today()) + dt.timedelta(days=DUE_AHEAD_DAYS)
    return render_template(
        "council/report.html",
        node=node(),
        meeting=meeting,
        start=start,
        last_day=end - dt.timedelta(days=1),
        top=top,
        decisions=decisions(db, start, end),
        due=action_store.due_between(db, start, ahead, today=today()),
        meetings=meeting_store.recent(db, 20),
        today=today(),
    )
