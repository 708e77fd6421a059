"""Helpers shared by the council views: labels of council codes, the acting
user, form parsing and turning refused changes into clear errors."""

import datetime as dt
import re

from flask import request
from flask_babel import lazy_gettext as _l

from app.auth.guard import current_user
from app.errors import AppError

# The council's code labels live with every other code label (app/i18n/labels.py);
# council_label is label_of under the name the council templates use.
from app.i18n.labels import (
    ACTION_STATUSES,
    PRIORITY_STATUSES,
    REMOVAL_REASONS,
    SET_ASIDE_REASONS,
    STATUS_ACTIONS,
    label_of,
)
from app.i18n.labels import label_of as council_label
from app.store.triage import TriageError

__all__ = [
    "ACTION_STATUSES",
    "PRIORITY_STATUSES",
    "REMOVAL_REASONS",
    "SET_ASIDE_REASONS",
    "STATUS_ACTIONS",
    "council_label",
]


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
