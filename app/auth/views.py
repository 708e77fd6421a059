"""Sign in and out of the browser pages."""

import time

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.database import get_db
from app.errors import AppError
from app.store import users

from . import passwords, quick_switch
from .blueprint import bp
from .permissions import public

FREE_FAILURES = 3
MAX_DELAY = 900


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


def delay_for(failures: int) -> int:
    """Seconds a key must wait after FAILURES failed sign-ins in a row."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES + 1), MAX_DELAY)


def _wait_seconds(db, keys: list[str]) -> int:
    now = time.time()
    wait = 0
    for key in keys:
        failures, last_at = users.failures(db, key)
        wait = max(wait, int(last_at + delay_for(failures) - now + 0.999))
    return wait


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        name = form.username.data.strip()
        keys = [f"user:{name.casefold()}", f"addr:{request.remote_addr}"]
        wait = _wait_seconds(db, keys)
        if wait > 0:
            error = AppError(
                429,
                "login_slowed",
                _(
                    "Too many failed sign-ins. Wait %(seconds)s seconds, then try again.",
                    seconds=wait,
                ),
            )
            error.retry_after = wait
            raise error
        user = users.by_name(db, name)
        if user is None:
            passwords.dummy_verify()
        ok = (
            user is not None
            and not user["disabled"]
            and passwords.verify(user["password_hash"], form.password.data)
        )
        if not ok:
            users.record_failure(db, keys)
            form.password.errors.append(
                _("User name or password is wrong, or the account is locked.")
            )
            return render_template("auth/login.html", form=form), 401
        users.clear_failures(db, keys)
        session.clear()
        session.permanent = True
        session["uid"] = user["id"]
        session["ver"] = user["session_version"]
        quick_switch.password_signed_in(user)  # this device may offer a PIN switch today
        return redirect(safe_next(request.args.get("next")))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout():
    session.clear()
    g.user = None
    return redirect(url_for("main.home"))
