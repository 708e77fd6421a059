"""Helpers shared by the council views: labels of council codes, the acting
user, form parsing and turning refused changes into clear errors."""

import datetime as dt
import re

from flask import request
from flask_babel import lazy_gettext as _l

from app.auth.guard import current_user
from app.errors import AppError
from app.labels import label_of
from app.store.triage import TriageError

PRIORITY_STATUSES = {
    "open": _l("being planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "dropped": _l("dropped"),
}
ACTION_STATUSES = {
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "blocked": _l("blocked"),
}
SET_ASIDE_REASONS = {
    "duplicate": _l("duplicate"),
    "out_of_remit": _l("out of the council's remit"),
    "not_enough_information": _l("not enough information"),
    "already_done": _l("already done"),
    "other": _l("other reason"),
}
REMOVAL_REASONS = {
    "spam": _l("spam or abuse"),
    "erasure": _l("the person asked for it to be erased"),
}
# What the button that moves a need to a status says.
STATUS_ACTIONS = {
    "accepted": _l("Accept"),
    "set_aside": _l("Set aside"),
    "planned": _l("Plan"),
    "resolved": _l("Mark resolved"),
    "new": _l("Reopen"),
}

TABLES = {
    "priority_status": PRIORITY_STATUSES,
    "action_status": ACTION_STATUSES,
    "reason": SET_ASIDE_REASONS,
    "status_action": STATUS_ACTIONS,
}


def council_label(kind: str, code):
    """The label of a council code ('priority_status', 'action_status', 'reason')."""
    return TABLES[kind].get(code, code)


MESSAGES = {
    "invalid_transition": _l("A need that is “%(old)s” cannot become “%(new)s”."),
    "use_merge": _l("To merge a need, mark it as a duplicate of another need."),
    "use_unmerge": _l("This need is merged into another; un-merge it first."),
    "reason_required": _l("Choose a reason for setting this need aside."),
    "merge_into_itself": _l("A need cannot be merged into itself."),
    "bad_merge_target": _l(
        "The need to merge into is “%(status)s”; choose one that is new, accepted, "
        "planned or resolved."
    ),
    "not_merged": _l("This need is not merged."),
    "target_merged": _l(
        "The need it was merged into (%(ref)s) is itself merged now; un-merge that one first."
    ),
    "unknown_need": _l("There is no such need."),
    "removed": _l("This need was removed; it cannot change any more."),
    "unknown_priority": _l("There is no such priority."),
    "not_in_priority": _l("This need is not part of this priority."),
}


def refused(exc: TriageError) -> AppError:
    """A 409 page (or JSON) that says in plain words why the change was refused."""
    params = dict(exc.params)
    for key in ("old", "new", "status"):
        if key in params:
            params[key] = label_of("status", params[key])
    status = 404 if exc.code.startswith("unknown_") else 409
    message = MESSAGES.get(exc.code)
    return AppError(status, exc.code, message % params if message else None, params)


def acting_user() -> dict:
    user = current_user()
    return {"id": user["id"], "role": user["role"]}


def today() -> dt.date:
    return dt.date.today()


def form_text(name: str, max_length: int = 2000) -> str:
    return (request.form.get(name) or "").strip()[:max_length]


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def form_date(name: str, errors: dict) -> str | None:
    value = form_text(name, 10)
    if not value:
        return None
    try:
        if not DATE_RE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = _l("Enter a date as YYYY-MM-DD.")
        return None
    return value


def form_int(name: str) -> int | None:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        return None


def form_goals() -> list[int]:
    goals = []
    for value in request.form.getlist("goals"):
        if value.isdigit() and 1 <= int(value) <= 17:
            goals.append(int(value))
    return sorted(set(goals))
