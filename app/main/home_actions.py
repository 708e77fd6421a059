"""What the home page offers each role: one tile per thing the role may do."""

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.auth.guard import current_user
from app.auth.permissions import allowed


@dataclass(frozen=True)
class Action:
    permission: str
    endpoint: str
    title: object
    text: object


ACTIONS = [
    Action(
        "capture", "capture.new_need", _l("Capture a need"), _l("Write down what a citizen needs.")
    ),
    Action(
        "capture",
        "capture.meetings",
        _l("Meetings"),
        _l("Run a community meeting and count attendance."),
    ),
    Action(
        "read_needs",
        "capture.list_needs",
        _l("Needs"),
        _l("Find and read the needs captured here."),
    ),
    Action(
        "triage", "council.triage", _l("Review needs"), _l("Accept, merge or set aside new needs.")
    ),
    Action(
        "triage",
        "council.priorities",
        _l("Priorities and actions"),
        _l("Rank priorities and plan actions."),
    ),
    Action(
        "aggregates", "aggregate.index", _l("Disparities"), _l("Compare localities and groups.")
    ),
    Action("admin", "admin.index", _l("Administration"), _l("Users, settings, sync and backups.")),
]


# Top navigation: (permission or None for everyone, endpoint, label).
NAV = [
    ("capture", "capture.new_need", _l("Capture")),
    ("read_needs", "capture.list_needs", _l("Needs")),
    ("triage", "council.triage", _l("Council")),
    ("aggregates", "aggregate.index", _l("Disparities")),
    (None, "public.board", _l("You said, we did")),
    (None, "public.status", _l("Check a need")),
    ("admin", "admin.index", _l("Administration")),
]


def nav_items() -> list[dict]:
    user = current_user()
    role = user["role"] if user else None
    return [
        {"url": url_for(endpoint), "label": label}
        for permission, endpoint, label in NAV
        if (permission is None or allowed(role, permission))
        and endpoint in current_app.view_functions
    ]


def home_actions() -> list[dict]:
    user = current_user()
    role = user["role"] if user else None
    return [
        {"url": url_for(a.endpoint), "title": a.title, "text": a.text}
        for a in ACTIONS
        if allowed(role, a.permission) and a.endpoint in current_app.view_functions
    ]
