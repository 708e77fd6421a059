"""Who may do what: the one permission table (mirrored in the README).

Every view is either marked public with `@public` or requires a permission
with `@requires(PERMISSION)`. A view with neither is refused for everyone
(see app.auth.guard): nothing is open by accident.
"""

from functools import wraps

ROLES = ("facilitator", "council", "analyst", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    # capture needs, run meetings
    "capture": frozenset({"facilitator", "council", "admin"}),
    # list and read needs
    "read_needs": frozenset({"facilitator", "council", "analyst", "admin"}),
    # see a respondent's name and contact (facilitators: only needs they captured)
    "see_respondent": frozenset({"council"}),
    "see_own_respondent": frozenset({"facilitator", "council"}),
    # triage, priorities, actions
    "triage": frozenset({"council"}),
    # mark a text checked for sharing
    "check_text": frozenset({"facilitator", "council"}),
    # aggregates, disparity views, open data
    "aggregates": frozenset({"council", "analyst", "admin"}),
    # users, tokens, settings, enrolment, sync, backups
    "admin": frozenset({"admin"}),
    # any signed-in user (home page, own language)
    "signed_in": frozenset(ROLES),
}


def allowed(role: str | None, permission: str) -> bool:
    return role is not None and role in PERMISSIONS[permission]


def public(view):
    """Mark a view as open to anyone, signed in or not."""
    view.sauti_public = True
    return view


def requires(permission: str):
    """Mark a view as needing PERMISSION (checked by the guard before it runs)."""
    if permission not in PERMISSIONS:
        raise KeyError(permission)

    def mark(view):
        view.sauti_permission = permission
        return view

    return mark


def wraps_marks(view):
    """Keep permission marks when a view is wrapped by another decorator."""

    def decorate(wrapper):
        wrapper = wraps(view)(wrapper)
        for attr in ("sauti_public", "sauti_permission"):
            if hasattr(view, attr):
                setattr(wrapper, attr, getattr(view, attr))
        return wrapper

    return decorate
