"""Admin: locality names per interface language (one at a time; whole
registers are imported as CSV on the locality register page)."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import i18n
from app.auth.permissions import requires
from app.database import get_db, node
from app.store import audit
from app.store import localities as register

from .blueprint import bp
from .common import actor, field


def _page(*, errors=None, typed=None, status=200):
    entries = register.current(get_db())
    rows = [{"code": code, "names": e["names"]} for code, e in sorted(entries.items())]
    done = request.args.get("done")
    return (
        render_template(
            "admin/localities.html",
            rows=rows,
            languages=list(i18n.LOCALES.values()),
            errors=errors or {},
            typed=typed or {"code": node()["locality"], "language": i18n.current().code},
            done=_("The name is saved.") if done else None,
        ),
        status,
    )


@bp.route("/localities")
@requires("admin")
def localities_page():
    return _page()


@bp.route("/localities", methods=["POST"])
@requires("admin")
def name_locality():
    typed = {"code": field("code"), "language": field("language"), "name": field("name")}
    errors = {}
    if typed["language"] not in i18n.LOCALES:
        errors["language"] = _("Choose a language.")
    else:
        try:
            register.set_name(get_db(), typed["code"], typed["language"], typed["name"])
        except register.RegisterError:
            errors["code"] = _("Give a locality code like KE/47/westlands, and a name of at most 120 characters.")  # fmt: skip
    if errors:
        return _page(errors=errors, typed=typed, status=422)
    audit.record(get_db(), actor(), "locality_name", typed["code"].strip("/"),
                 {"language": typed["language"], "name": typed["name"]})  # fmt: skip
    return redirect(url_for("admin.localities_page", done=1))
