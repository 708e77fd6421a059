"""A need's own page: its details, its history (with the labels the history
shows), and the "checked for sharing" button."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.guard import current_user
from app.auth.permissions import allowed, requires
from app.capture import needs
from app.database import get_db
from app.i18n.labels import TABLES
from app.store import meetings as meeting_store
from app.store import needs as store
from schema.need import AUDIO_ONLY_TEXT

from .blueprint import bp
from .view_helpers import category_map, changeable_need, need_or_404

# Names of the fields and actions in a need's history, as people read them.
FIELD_LABELS = {
    "text": _l("Text"),
    "category": _l("Category"),
    "goals": _l("Goals"),
    "locality": _l("Locality"),
    "gender": _l("Gender"),
    "age_band": _l("Age"),
    "groups": _l("Groups"),
    "supporters": _l("People"),
    "text_checked": _l("Checked for sharing"),
    "status": _l("Status"),
}
ACTION_LABELS = {
    "edit": _l("edited"),
    "plus_one": _l("+1 at a meeting"),
    "text_checked": _l("checked for sharing"),
}
_VALUE_TABLES = {"gender": "gender", "age_band": "age_band", "status": "status"}


def show_value(field: str, value) -> str:
    """A history value as people read it (labels for codes, yes/no, lists)."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "category":
        return str(category_map().get(value, {}).get("label", value))
    if field == "groups":
        return ", ".join(str(TABLES["group"].get(v, v)) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field in _VALUE_TABLES:
        return str(TABLES[_VALUE_TABLES[field]].get(value, value))
    return str(value)


@bp.context_processor
def _history_helpers():
    return {"field_labels": FIELD_LABELS, "action_labels": ACTION_LABELS, "show_value": show_value}


@bp.route("/needs/<ref>")
@requires("read_needs")
def need(ref):
    item = need_or_404(ref)
    db = get_db()
    user = current_user()
    context = {
        "need": item,
        "category": category_map().get(item["category"]),
        "history": store.history(db, item["id"]),
        "meeting": meeting_store.get(db, item["meeting_id"]) if item.get("meeting_id") else None,
        "show_respondent": needs.may_see_respondent(item),
        "pieces": None,
    }
    if allowed(user["role"], "check_text") and item["text"] != AUDIO_ONLY_TEXT:
        _shared, context["pieces"] = needs.scrubbed(item)
    return render_template("capture/need.html", **context)


@bp.route("/needs/<ref>/checked", methods=["POST"])
@requires("check_text")
def check_text(ref):
    item = changeable_need(ref)
    needs.mark_checked(item)
    return redirect(url_for("capture.need", ref=item["ref"]) + "#sharing", code=303)
