"""Admin: the node's need categories. Add one, name it in each interface
language, pick its pictogram from the existing set, retire it or bring it
back. A category is never deleted: needs keep pointing at it."""

from pathlib import Path

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import i18n
from app.auth.permissions import requires
from app.database import get_db
from app.i18n.labels import GOALS, category_label
from app.store import audit
from app.store import categories as store

from .blueprint import bp
from .common import actor, field

FALLBACK = "other"  # needs without a category get it: never retired


def pictograms() -> list[str]:
    folder = Path(current_app.static_folder) / "icons"
    return sorted(p.name for p in folder.glob("cat-*.svg"))


def _page(*, errors=None, typed=None, status=200):
    db = get_db()
    rows = store.rows(db, include_retired=True)
    for row in rows:
        row["name"] = category_label(row["code"], row)
        row["in_use"] = store.in_use(db, row["code"])
    done = request.args.get("done")
    return (
        render_template(
            "admin/categories.html",
            rows=rows,
            icons=pictograms(),
            goals=GOALS,
            languages=list(i18n.LOCALES.values()),
            errors=errors or {},
            typed=typed or {},
            fallback=FALLBACK,
            done=_("The categories are saved.") if done else None,
        ),
        status,
    )


def _goals() -> list[int]:
    out = []
    for value in request.form.getlist("goals")[:17]:
        if value.isascii() and value.isdigit() and 1 <= int(value[:3]) <= 17:
            out.append(int(value))
    return out


@bp.route("/categories")
@requires("admin")
def categories_page():
    return _page()


@bp.route("/categories", methods=["POST"])
@requires("admin")
def add_category():
    db = get_db()
    typed = {"code": field("code").lower(), "name": field("name"), "icon": field("icon"),
             "goals": _goals()}  # fmt: skip
    errors = {}
    if not store.CODE_RE.match(typed["code"]):
        errors["code"] = _("A code is 2 to 32 small letters, digits, - or _, starting with a letter.")
    elif store.get(db, typed["code"]):
        errors["code"] = _("A category with this code exists already.")
    if not typed["name"] or len(typed["name"]) > store.MAX_LABEL:
        errors["name"] = _("Give the category a name of at most %(n)s characters.", n=store.MAX_LABEL)
    if typed["icon"] not in pictograms():
        errors["icon"] = _("Choose a pictogram.")
    if errors:
        return _page(errors=errors, typed=typed, status=422)
    language = i18n.current().code
    store.save(db, typed["code"], goals=typed["goals"], label=typed["name"], icon=typed["icon"])
    store.set_labels(db, typed["code"], {language: typed["name"]})
    audit.record(db, actor(), "category_add", typed["code"],
                 {"name": typed["name"], "language": language, "goals": typed["goals"]})  # fmt: skip
    return redirect(url_for("admin.categories_page", done=1) + f"#cat-{typed['code']}")


@bp.route("/categories/<code>", methods=["POST"])
@requires("admin")
def edit_category(code):
    db = get_db()
    row = store.get(db, code)
    if row is None:
        return _page(status=404)
    names = {loc.code: field(f"name_{loc.code}") for loc in i18n.LOCALES.values()}
    icon = field("icon") or row["icon"]
    if any(len(n) > store.MAX_LABEL for n in names.values()) or icon not in pictograms():
        message = _("A name is at most %(n)s characters; choose a pictogram from the list.",
                    n=store.MAX_LABEL)  # fmt: skip
        return _page(errors={f"edit:{code}": message}, typed={f"edit:{code}": names}, status=422)
    store.set_labels(db, code, names)
    new = store.get(db, code)["labels"]
    if new != row["labels"]:
        audit.record(db, actor(), "category_names", code, {"names": new})
    if icon != row["icon"]:
        store.set_icon(db, code, icon)
        audit.record(db, actor(), "category_icon", code, {"icon": icon})
    return redirect(url_for("admin.categories_page", done=1) + f"#cat-{code}")


@bp.route("/categories/<code>/active", methods=["POST"])
@requires("admin")
def retire_category(code):
    db = get_db()
    row = store.get(db, code)
    if row is None:
        return _page(status=404)
    active = request.form.get("active") == "1"
    if not active and code == FALLBACK:
        return _page(errors={f"edit:{code}": _("This category is the fallback for needs without one; it cannot be retired.")}, status=409)  # fmt: skip
    if active != row["active"]:
        store.set_active(db, code, active)
        audit.record(db, actor(), "category_restore" if active else "category_retire", code)
    return redirect(url_for("admin.categories_page", done=1) + f"#cat-{code}")
