"""What the admin pages share: who acts (for the audit list), reading form
fields safely, and the "done" notice after a change."""

from flask import request

from app.auth.guard import current_user

MAX_FIELD = 512  # characters kept of any one form field


def actor() -> str:
    return current_user()["username"]


def field(name: str) -> str:
    """A posted text field, trimmed and bounded (a client mistake is never a 500)."""
    value = request.form.get(name, "")
    return value.strip()[:MAX_FIELD]
