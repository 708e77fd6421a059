"""Views of the capture blueprint: the facilitator's need form and receipt,
meetings, the needs list, a need's page, editing and "checked for sharing"."""

import uuid as uuid_mod

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from app.capture import needs
from app.auth.guard import current_user
from app.auth.permissions import allowed, requires
from app.database import get_db, node
from app.errors import AppError
from app.i18n import current as current_locale
from app.i18n.labels import CATEGORIES, TABLES
from app.store import categories as category_store
from app.store import meetings as meeting_store
from app.store import needs as store
from schema import vocab
from schema.fields import BCP47_RE

from .blueprint import bp
from .forms import (
    FIELD_MESSAGES,
    TEXT_LANGUAGES,
    attendance_field,
    attendance_from_form,
    edit_from_form,
    flat_errors,
    meeting_from_form,
    need_from_form,
    today,
    whole_number,
)

PER_PAGE = 50


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
        return str(_category_map().get(value, {}).get("label", value))
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


# ---------------------------------------------------------------- helpers


def _categories(*, include_retired: bool = False) -> list[dict]:
    """The node's categories for display: code, label, icon, goals."""
    rows = category_store.rows(get_db(), include_retired=include_retired)
    for row in rows:
        row["label"] = row["label"] or CATEGORIES.get(row["code"], row["code"])
    return rows


def _category_map() -> dict[str, dict]:
    from flask import g

    if "capture_category_map" not in g:
        g.capture_category_map = {c["code"]: c for c in _categories(include_retired=True)}
    return g.capture_category_map


def _messages(details: dict) -> dict[str, str]:
    """Translated messages per form field from the schema's error details."""
    out = {}
    for key in flat_errors(details):
        message = FIELD_MESSAGES.get(key)
        if message is None:
            out.setdefault("form", _("Some fields are not valid."))
            continue
        out[key] = str(message) % {"locality": node()["locality"]}
    return out


def _need_or_404(ref: str) -> dict:
    need = store.by_ref(get_db(), ref.strip().upper())
    if need is None:
        raise AppError(404)
    return need


def _changeable_need(ref: str) -> dict:
    """The need, unless it was removed (then nothing about it may change)."""
    need = _need_or_404(ref)
    if need["removed"]:
        raise AppError(409, "removed", _("This need was removed; it cannot change any more."))
    return need


def _form_context(values: dict, errors: dict) -> dict:
    return {
        "values": values,
        "errors": errors,
        "categories": _categories(),
        "text_languages": TEXT_LANGUAGES,
        "genders": vocab.GENDERS,
        "age_bands": vocab.AGE_BANDS,
        "groups": vocab.GROUPS,
        "node_locality": node()["locality"],
    }


def _new_values(**extra) -> dict:
    values = {"uuid": str(uuid_mod.uuid4()), "language": current_locale().tag, "supporters": 1}
    values.update(extra)
    return values


def _posted_values(form) -> dict:
    values = {key: form.get(key, "") for key in form}
    values["groups"] = form.getlist("groups")
    values["goals"] = form.getlist("goals")
    return values


# ---------------------------------------------------------------- capture form


def _refused_form(error: AppError) -> tuple[dict, dict]:
    """What to show again after a refused capture: the typed values and the
    errors. A 409 means the uuid was saved with different content (the form was
    changed after saving): keep what was typed, under a new uuid."""
    values = _posted_values(request.form)
    if error.status == 409:
        values["uuid"] = str(uuid_mod.uuid4())
        return values, {
            "form": _("This form was already saved once. Save again to store it as a new need.")
        }
    if error.status == 422:
        return values, _messages(error.details)
    raise error


@bp.route("/capture", methods=["GET", "POST"])
@requires("capture")
def new_need():
    if request.method == "GET":
        return render_template("capture/new_need.html", **_form_context(_new_values(), {}))
    try:
        stored, _created = needs.capture(need_from_form(request.form))
    except AppError as error:
        values, errors = _refused_form(error)
        return render_template(
            "capture/new_need.html", **_form_context(values, errors)
        ), error.status
    return redirect(url_for("capture.receipt", ref=stored["ref"]), code=303)


@bp.route("/capture/receipt/<ref>")
@requires("capture")
def receipt(ref):
    need = _need_or_404(ref)
    return render_template(
        "capture/receipt.html", need=need, category=_category_map().get(need["category"])
    )


# ---------------------------------------------------------------- list and need page


def _list_filters(args) -> tuple[dict, list[str]]:
    """Valid filters from the query string, and the names of those ignored."""
    filters, ignored = {}, []
    choices = {
        "status": vocab.STATUSES,
        "channel": vocab.CHANNELS,
        "category": tuple(_category_map()),
    }
    for key in ("status", "category", "goal", "locality", "channel", "meeting", "language", "q"):
        value = args.get(key, "").strip()
        if not value:
            continue
        if key == "goal":
            valid = whole_number(value) in range(1, 18)
        elif key == "meeting":
            valid = isinstance(whole_number(value), int)
        else:
            valid = key not in choices or value in choices[key]
        if valid:
            filters[key] = value[:200]
        else:
            ignored.append(key)
    return filters, ignored


@bp.route("/needs")
@requires("read_needs")
def list_needs():
    filters, ignored = _list_filters(request.args)
    raw_page = request.args.get("page", "1")
    page = whole_number(raw_page)
    page = page if isinstance(page, int) and 0 < page < 1_000_000 else 1
    rows, total = store.list_page(get_db(), filters, page, PER_PAGE)
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    return render_template(
        "capture/list.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        ignored=ignored,
        categories=_category_map(),
        meetings=meeting_store.recent(get_db(), limit=200),
        statuses=vocab.STATUSES,
        channels=vocab.CHANNELS,
    )


@bp.route("/needs/<ref>")
@requires("read_needs")
def need(ref):
    item = _need_or_404(ref)
    db = get_db()
    user = current_user()
    context = {
        "need": item,
        "category": _category_map().get(item["category"]),
        "history": store.history(db, item["id"]),
        "meeting": meeting_store.get(db, item["meeting_id"]) if item.get("meeting_id") else None,
        "show_respondent": needs.may_see_respondent(item),
        "pieces": None,
    }
    if allowed(user["role"], "check_text"):
        _shared, context["pieces"] = needs.scrubbed(item)
    return render_template("capture/need.html", **context)


@bp.route("/needs/<ref>/edit", methods=["GET", "POST"])
@requires("capture")
def edit_need(ref):
    item = _changeable_need(ref)
    if request.method == "POST":
        try:
            needs.edit(item, edit_from_form(request.form))
        except AppError as error:
            if error.status != 422:
                raise
            return render_template(
                "capture/edit.html",
                need=item,
                **_form_context(_posted_values(request.form), _messages(error.details)),
            ), 422
        return redirect(url_for("capture.need", ref=item["ref"]), code=303)
    values = {k: item[k] for k in store.EDITABLE}
    values["goals"] = [str(g) for g in item["goals"]]
    return render_template("capture/edit.html", need=item, **_form_context(values, {}))


@bp.route("/needs/<ref>/checked", methods=["POST"])
@requires("check_text")
def check_text(ref):
    item = _changeable_need(ref)
    needs.mark_checked(item)
    return redirect(url_for("capture.need", ref=item["ref"]) + "#sharing", code=303)


# ---------------------------------------------------------------- meetings


@bp.route("/meetings", methods=["GET", "POST"])
@requires("capture")
def meetings():
    values = {"title": "", "locality": "", "date": today()}
    errors = {}
    status = 200
    if request.method == "POST":
        try:
            meeting = meeting_from_form(request.form, node()["locality"])
        except ValidationError as exc:
            values = _posted_values(request.form)
            errors = _messages(exc.messages)
            status = 422
        else:
            user = current_user()
            meeting_id = meeting_store.open_meeting(get_db(), opened_by=user["id"], **meeting)
            return redirect(url_for("capture.meeting", meeting_id=meeting_id), code=303)
    return render_template(
        "capture/meetings.html",
        meetings=meeting_store.recent(get_db()),
        values=values,
        errors=errors,
        node_locality=node()["locality"],
    ), status


def _meeting_or_404(meeting_id: int) -> dict:
    meeting = meeting_store.get(get_db(), meeting_id)
    if meeting is None:
        raise AppError(404)
    return meeting


def _closed() -> AppError:
    return AppError(409, "meeting_closed", _("This meeting is closed; open a new one to go on."))


def _require_open(meeting: dict) -> None:
    if meeting["status"] != "open":
        raise _closed()


def _meeting_page(meeting: dict, *, values=None, errors=None, attendance=None, status=200):
    db = get_db()
    rows, _total = store.list_page(db, {"meeting": meeting["id"]}, 1, 500)
    counts = (
        attendance
        if attendance is not None
        else {
            attendance_field(g, b): c
            for (g, b), c in meeting_store.attendance(db, meeting["id"]).items()
        }
    )
    language = request.args.get("language", "")
    defaults = {"locality": meeting["locality"]}
    if BCP47_RE.match(language):  # keep the language of the previous need
        defaults["language"] = language
    context = _form_context(values or _new_values(**defaults), errors or {})
    return render_template(
        "capture/meeting.html",
        meeting=meeting,
        needs_of_meeting=rows,
        counts=counts,
        attendance_field=attendance_field,
        category_map=_category_map(),
        saved=request.args.get("saved"),
        plus=request.args.get("plus"),
        **context,
    ), status


@bp.route("/meetings/<int:meeting_id>")
@requires("capture")
def meeting(meeting_id):
    return _meeting_page(_meeting_or_404(meeting_id))


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["POST"])
@requires("capture")
def meeting_attendance(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    _require_open(meeting)
    counts, bad = attendance_from_form(request.form)
    if bad:
        posted = {key: request.form.get(key, "") for key in request.form}
        errors = {"attendance": str(FIELD_MESSAGES["attendance"]), "bad": bad}
        return _meeting_page(meeting, errors=errors, attendance=posted, status=422)
    try:
        meeting_store.set_attendance(get_db(), meeting_id, counts)
    except meeting_store.MeetingClosed:
        raise _closed() from None
    return redirect(url_for("capture.meeting", meeting_id=meeting_id) + "#attendance", code=303)


@bp.route("/meetings/<int:meeting_id>/needs", methods=["POST"])
@requires("capture")
def meeting_need(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    _require_open(meeting)
    data = need_from_form(request.form)
    data["channel"] = "meeting"
    data.setdefault("locality", meeting["locality"])
    try:
        stored, _created = needs.capture(data, meeting_id=meeting_id)
    except AppError as error:
        values, errors = _refused_form(error)
        return _meeting_page(meeting, values=values, errors=errors, status=error.status)
    return redirect(
        url_for(
            "capture.meeting",
            meeting_id=meeting_id,
            saved=stored["ref"],
            language=stored["language"],
        )
        + "#capture",
        code=303,
    )


@bp.route("/meetings/<int:meeting_id>/needs/<ref>/plus-one", methods=["POST"])
@requires("capture")
def meeting_plus_one(meeting_id, ref):
    meeting = _meeting_or_404(meeting_id)
    _require_open(meeting)
    item = _changeable_need(ref)
    if item.get("meeting_id") != meeting_id:
        raise AppError(404)
    expected = whole_number(request.form.get("expected", ""))
    user = current_user()
    store.add_supporters(
        get_db(),
        item["id"],
        expected=expected if isinstance(expected, int) else None,
        user_id=user["id"],
        role=user["role"],
    )
    return redirect(
        url_for("capture.meeting", meeting_id=meeting_id, plus=item["ref"]) + "#needs", code=303
    )


@bp.route("/meetings/<int:meeting_id>/close", methods=["POST"])
@requires("capture")
def close_meeting(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    _require_open(meeting)
    try:
        meeting_store.close(get_db(), meeting_id)
    except meeting_store.MeetingClosed:
        raise _closed() from None
    return redirect(url_for("capture.meeting", meeting_id=meeting_id), code=303)
