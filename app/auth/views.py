"""Sign in and out of the browser pages (sessions live on the node:
app.store.sessions; throttling: app.auth.throttle)."""


from flask import current_app, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.database import get_db
from app.errors import AppError
from app.security import safe_next
from app.store import users

from . import node_session, passwords, quick_switch, throttle
from .blueprint import bp
from .permissions import public

FREE_FAILURES = throttle.FREE_FAILURES
MAX_DELAY = throttle.MAX_DELAY
delay_for = throttle.delay_for  # kept here too: app.auth.views.delay_for is imported by tests


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        name = form.username.data.strip()
        known = throttle.device_users(request.cookies.get(throttle.DEVICE_COOKIE))
        attempt = throttle.attempt(name, request.remote_addr, known)
        wait = users.claim_attempt(db, attempt.budgets, throttle.delay_for)
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
            form.password.errors.append(
                _("User name or password is wrong, or the account is locked.")
            )
            return render_template("auth/login.html", form=form), 401
        users.attempt_succeeded(db, attempt.clear, attempt.refund)
        node_session.start(db, user["id"])
        quick_switch.password_signed_in(user)  # this device may offer a PIN switch today
        response = make_response(redirect(safe_next(request.args.get("next"))))
        response.set_cookie(
            throttle.DEVICE_COOKIE,
            throttle.device_cookie(known, name),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout():
    node_session.end(get_db())
    return redirect(safe_next(None))
