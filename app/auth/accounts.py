"""The rules for accounts and tokens, shared by `sauti user|token ...` and the
admin pages, each change written to the audit list (never a password or token).

Flask-free: callers pass the database, the actor (a user name, or "cli") and
plain values; a refusal is an AccountError whose code the caller words.
"""

import re
import secrets

from app.store import audit, users

from . import passwords, tokens
from .permissions import ROLES

USERNAME_RE = re.compile(r"^[\w.@-]{2,64}$")
TOKEN_MIN_PREFIX = 8


class AccountError(ValueError):
    """code: bad_username, exists, bad_role, short_password, no_user, disabled,
    short_prefix, no_token, several_tokens, wrong_password."""

    def __init__(self, code: str, **info):
        super().__init__(code)
        self.code = code
        self.info = info


def check_password(password: str) -> str:
    if len(password) < passwords.MIN_LENGTH:
        raise AccountError("short_password", minimum=passwords.MIN_LENGTH)
    if len(password) > 256:
        raise AccountError("long_password", maximum=256)
    return password


def generated_password() -> str:
    return secrets.token_urlsafe(12)


def user(db, username: str) -> dict:
    row = users.by_name(db, username)
    if row is None:
        raise AccountError("no_user", username=username)
    return row


def add_user(db, actor: str, username: str, role: str, password: str) -> int:
    if not USERNAME_RE.match(username):
        raise AccountError("bad_username")
    if role not in ROLES:
        raise AccountError("bad_role")
    if users.by_name(db, username):
        raise AccountError("exists", username=username)
    check_password(password)
    user_id = users.add(db, username, role, passwords.hash_password(password))
    audit.record(db, actor, "user_add", username, {"role": role})
    return user_id


def disable_user(db, actor: str, username: str) -> None:
    users.disable(db, user(db, username)["id"])
    audit.record(db, actor, "user_disable", username)


def enable_user(db, actor: str, username: str) -> None:
    users.enable(db, user(db, username)["id"])
    audit.record(db, actor, "user_enable", username)


def set_password(db, actor: str, username: str, password: str, *, keep_session=None) -> None:
    """Set USERNAME's password; ends their sessions (all but KEEP_SESSION's hash)."""
    row = user(db, username)
    check_password(password)
    users.set_password(db, row["id"], passwords.hash_password(password), keep_session=keep_session)
    action = "password_change" if actor == username else "password_reset"
    audit.record(db, actor, action, username)


def change_own_password(db, row: dict, current: str, new: str, keep_session: str) -> None:
    """A signed-in user changes their own password: the current one must match."""
    check_password(new)
    if not passwords.verify(row["password_hash"], current):
        raise AccountError("wrong_password")
    set_password(db, row["username"], row["username"], new, keep_session=keep_session)


def create_token(db, actor: str, username: str) -> str:
    """A new API token for USERNAME; returned once, stored only hashed."""
    row = user(db, username)
    if row["disabled"]:
        raise AccountError("disabled", username=username)
    value = tokens.new_token()
    prefix = value[: tokens.PREFIX_LENGTH]
    users.add_token(db, row["id"], prefix, tokens.token_hash(value))
    audit.record(db, actor, "token_create", username, {"prefix": prefix})
    return value


def revoke_token(db, actor: str, prefix: str) -> dict:
    """Revoke the one active token whose first characters (at least 8) are PREFIX."""
    if len(prefix) < TOKEN_MIN_PREFIX:
        raise AccountError("short_prefix", minimum=TOKEN_MIN_PREFIX)
    matches = [
        t
        for t in users.tokens_matching(db, prefix)
        if len(prefix) <= tokens.PREFIX_LENGTH or t["prefix"] == prefix[: tokens.PREFIX_LENGTH]
    ]
    if not matches:
        raise AccountError("no_token", prefix=prefix)
    if len(matches) > 1:
        raise AccountError("several_tokens", prefix=prefix, count=len(matches))
    users.revoke_token(db, matches[0]["id"])
    audit.record(db, actor, "token_revoke", matches[0]["username"], {"prefix": matches[0]["prefix"]})
    return matches[0]
