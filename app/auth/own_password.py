"""Every signed-in user changes their own password here: their other sessions
end, this one stays (rules: app.auth.accounts)."""

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.database import get_db
from app.store import sessions

from . import accounts
from .account_words import refusal
from .blueprint import bp
from .guard import current_user
from .permissions import requires


@bp.route("/account/password", methods=["GET", "POST"])
@requires("signed_in")
def own_password():
    errors = {}
    if request.method == "POST":
        current = request.form.get("current", "")[:1000]
        new = request.form.get("new", "")[:1000]
        again = request.form.get("again", "")[:1000]
        if new != again:
            errors["again"] = _("The two new passwords are not the same.")
        else:
            try:
                accounts.change_own_password(
                    get_db(), current_user(), current, new,
                    keep_session=sessions.id_hash(session.get("sid", "")),
                )  # fmt: skip
            except accounts.AccountError as exc:
                errors["current" if exc.code == "wrong_password" else "new"] = refusal(exc)
        if not errors:
            return redirect(url_for("auth.own_password", done=1))
    done = _("Your password is changed. Your other sessions are signed out.") if request.args.get("done") else None
    return render_template("auth/password.html", errors=errors, done=done), (422 if errors else 200)
