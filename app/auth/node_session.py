"""A browser's session lives on the node (app.store.sessions): the cookie holds only
a random id. Starting and ending one happen here, for the password sign-in, the
shared-tablet quick switch and its lock alike."""

import secrets

from flask import current_app, g, session

from app.store import sessions


def start(db, user_id: int) -> None:
    """A new node-side session for USER_ID; the cookie gets only its random id."""
    session_id = secrets.token_urlsafe(32)
    sessions.create(db, session_id, user_id, current_app.permanent_session_lifetime)
    session.clear()
    session.permanent = True
    session["sid"] = session_id


def end(db) -> None:
    """End this browser's session on the node: its cookie is refused afterwards."""
    session_id = session.get("sid")
    if isinstance(session_id, str) and session_id:
        sessions.end(db, session_id)
    session.clear()
    g.user = None
