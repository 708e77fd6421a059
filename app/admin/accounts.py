"""Admin: users (add, disable, enable, reset a password) and API tokens
(create, shown once; revoke). The rules are app.auth.accounts, which the
`sauti user|token` commands use too; every change is audited."""

from flask import make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth import accounts
from app.auth.account_words import refusal
from app.auth.accounts import AccountError
from app.auth.permissions import ROLES, requires
from app.database import get_db
from app.store import users

from .blueprint import bp
from .common import actor, field

DONE = {
    "added": lambda name: _("%(name)s can now sign in.", name=name),
    "disabled": lambda name: _("%(name)s is disabled and signed out everywhere.", name=name),
    "enabled": lambda name: _("%(name)s can sign in again.", name=name),
    "password": lambda name: _("%(name)s has a new password and was signed out everywhere.", name=name),
    "revoked": lambda name: _("The token of %(name)s no longer works.", name=name),
}


def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _users_page(*, errors=None, typed=None, shown_password=None, status=200):
    done = request.args.get("done")
    name = request.args.get("name", "")[:64]
    return _no_store(
        (
            render_template(
                "admin/users.html",
                users=users.list_users(get_db()),
                roles=ROLES,
                errors=errors or {},
                typed=typed or {},
                shown_password=shown_password,
                done=DONE[done](name) if done in DONE else None,
            ),
            status,
        )
    )


@bp.route("/users")
@requires("admin")
def users_page():
    return _users_page()


@bp.route("/users", methods=["POST"])
@requires("admin")
def add_user():
    typed = {"username": field("username"), "role": field("role")}
    password = request.form.get("password", "")[:1000]
    generated = not password
    if generated:
        password = accounts.generated_password()
    try:
        accounts.add_user(get_db(), actor(), typed["username"], typed["role"], password)
    except AccountError as exc:
        where = {"bad_role": "role", "short_password": "password", "long_password": "password"}
        return _users_page(errors={where.get(exc.code, "username"): refusal(exc)}, typed=typed,
                           status=422)  # fmt: skip
    if generated:
        return _users_page(shown_password=(typed["username"], password))
    return redirect(url_for("admin.users_page", done="added", name=typed["username"]))


def _change(username: str, change):
    try:
        change(get_db(), actor(), username)
    except AccountError as exc:
        return _users_page(errors={"table": refusal(exc)}, status=404)
    return None


@bp.route("/users/<username>/disable", methods=["POST"])
@requires("admin")
def disable_user(username):
    if username == actor():
        return _users_page(errors={"table": _("You cannot disable your own account.")}, status=409)
    return _change(username, accounts.disable_user) or redirect(
        url_for("admin.users_page", done="disabled", name=username)
    )


@bp.route("/users/<username>/enable", methods=["POST"])
@requires("admin")
def enable_user(username):
    return _change(username, accounts.enable_user) or redirect(
        url_for("admin.users_page", done="enabled", name=username)
    )


@bp.route("/users/<username>/password", methods=["POST"])
@requires("admin")
def reset_password(username):
    """Set a new password (typed, or generated and shown once)."""
    password = request.form.get("password", "")[:1000]
    generated = not password
    if generated:
        password = accounts.generated_password()
    try:
        accounts.set_password(get_db(), actor(), username, password)
    except AccountError as exc:
        status = 404 if exc.code == "no_user" else 422
        return _users_page(errors={f"password:{username}": refusal(exc)}, status=status)
    if generated:
        return _users_page(shown_password=(username, password))
    return redirect(url_for("admin.users_page", done="password", name=username))


# --- tokens -----------------------------------------------------------------


def _tokens_page(*, errors=None, typed=None, new_token=None, status=200):
    db = get_db()
    done = request.args.get("done")
    name = request.args.get("name", "")[:64]
    return _no_store(
        (
            render_template(
                "admin/tokens.html",
                tokens=users.list_tokens(db),
                users=[u for u in users.list_users(db) if not u["disabled"]],
                errors=errors or {},
                typed=typed or {},
                new_token=new_token,
                done=DONE[done](name) if done in DONE else None,
            ),
            status,
        )
    )


@bp.route("/tokens")
@requires("admin")
def tokens_page():
    return _tokens_page()


@bp.route("/tokens", methods=["POST"])
@requires("admin")
def create_token():
    username = field("username")
    try:
        value = accounts.create_token(get_db(), actor(), username)
    except AccountError as exc:
        return _tokens_page(errors={"username": refusal(exc)}, typed={"username": username},
                            status=422)  # fmt: skip
    return _tokens_page(new_token=(username, value))  # shown on this answer only


@bp.route("/tokens/revoke", methods=["POST"])
@requires("admin")
def revoke_token():
    prefix = field("prefix")
    try:
        match = accounts.revoke_token(get_db(), actor(), prefix)
    except AccountError as exc:
        status = {"no_token": 404, "several_tokens": 409}.get(exc.code, 422)
        return _tokens_page(errors={"prefix": refusal(exc)}, status=status)
    return redirect(url_for("admin.tokens_page", done="revoked", name=match["username"]))
