"""A need's own page: its details, its history (with the labels the history
shows), and the "checked for sharing" button."""

import datetime as dt

from flask import redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from app.auth.guard import current_user
from app.auth.permissions import allowed, requires
from app.capture import needs
from app.database import get_db
from app.i18n.labels import TABLES, history_label
from app.store import meetings as meeting_store
from app.store import needs as store
from schema.need import AUDIO_ONLY_TEXT

from .blueprint import bp
from .view_helpers import category_map, changeable_need, language_name, need_or_404, place_name

_VALUE_TABLES = {
    "gender": "gender",
    "age_band": "age_band",
    "status": "status",
    "reason": "reason",
    "removed": "removal_reason",
}


def show_value(field: str, value) -> str:
    """A history value as people read it (labels for codes, yes/no, lists)."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "category":
        return str(category_map().get(value, {}).get("label", value))
    if field == "locality":
        return place_name(value)
    if field == "groups":
        return ", ".join(str(TABLES["group"].get(v, v)) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field in _VALUE_TABLES:
        return str(TABLES[_VALUE_TABLES[field]].get(value, value))
    return str(value)


def when(iso: str | None) -> str:
    """A stored time (ISO 8601) as people read it in the interface language."""
    try:
        return format_datetime(dt.datetime.fromisoformat(iso or ""), "short")
    except ValueError:
        return iso or ""


@bp.context_processor
def _history_helpers():
    return {
        "history_label": history_label,
        "show_value": show_value,
        "when": when,
        "place_name": place_name,
        "language_name": language_name,
    }


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
