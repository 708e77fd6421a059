"""Meetings: opening one, its page (attendance counts and the needs captured
there), capturing needs and +1s during it, and closing it."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from app.auth.guard import current_user
from app.auth.permissions import requires
from app.capture import needs
from app.database import get_db, node
from app.errors import AppError
from app.store import meetings as meeting_store
from app.store import needs as store
from schema.fields import BCP47_RE

from .blueprint import bp
from .forms import (
    FIELD_MESSAGES,
    attendance_field,
    attendance_from_form,
    attendance_totals,
    meeting_from_form,
    need_from_form,
    today,
    whole_number,
)
from .view_helpers import (
    category_map,
    changeable_need,
    error_messages,
    form_context,
    locality_choices,
    new_values,
    posted_values,
    refused_form,
)


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
            values = posted_values(request.form)
            errors = error_messages(exc.messages)
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
        localities=locality_choices(values.get("locality", "")),
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
    context = form_context(values or new_values(**defaults), errors or {})
    return render_template(
        "capture/meeting.html",
        meeting=meeting,
        needs_of_meeting=rows,
        counts=counts,
        attendance_field=attendance_field,
        attendance_totals=attendance_totals(counts),
        category_map=category_map(),
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
        values, errors = refused_form(error)
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
    item = changeable_need(ref)
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
