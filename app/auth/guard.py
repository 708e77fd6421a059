"""Runs before every request: finds who is asking and refuses what the
view's permission mark does not allow. A view with no mark is refused."""

import logging

from flask import current_app, g, redirect, request, session, url_for

from app.database import get_db
from app.errors import AppError, wants_json
from app.store import sessions, users

from . import tokens
from .permissions import allowed

log = logging.getLogger(__name__)


def current_user() -> dict | None:
    return g.get("user")


def _user_from_token(header: str) -> dict | None:
    token = header[len("Bearer ") :].strip()
    if not token:
        return None
    db = get_db()
    row = users.user_for_token(db, tokens.token_hash(token), token[: tokens.PREFIX_LENGTH])
    if row is not None:
        users.touch_token(db, row["token_id"], row["last_used_at"])
    return row


def _user_from_session() -> dict | None:
    """The user of the node-side session the cookie names (app.store.sessions)."""
    session_id = session.get("sid")
    if not isinstance(session_id, str) or not session_id:
        return None
    row = sessions.user_for(get_db(), session_id)
    if row is None:
        session.clear()  # signed out, expired, password changed or user disabled
    return row


def load_user() -> None:
    header = request.headers.get("Authorization", "")
    g.via_token = header.startswith("Bearer ")
    g.user = _user_from_token(header) if g.via_token else _user_from_session()


def check_access():
    """before_request hook."""
    load_user()
    if request.endpoint is None:
        return None  # 404 / 405 answered by the error handlers
    view = current_app.view_functions[request.endpoint]
    if (
        not g.via_token
        and request.path.startswith("/api/")
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and session.get("sid") is not None
    ):
        # The API is CSRF-exempt for bearer tokens; a browser using its session
        # cookie must send the page's CSRF token in X-CSRFToken.
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError

        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError:
            raise AppError(400, "csrf_failed") from None
    if request.endpoint == "static" or getattr(view, "sauti_public", False):
        return None
    permission = getattr(view, "sauti_permission", None)
    if permission is None:
        log.error("route %s has no permission mark; refused", request.endpoint)
        raise AppError(403)
    if g.user is None:
        if g.via_token or wants_json():
            raise AppError(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not allowed(g.user["role"], permission):
        raise AppError(403)
    return None
