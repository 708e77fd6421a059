"""Triage decisions: one need's page (status, merge, un-merge, history, SMS
texts) and the decisions themselves, each confirmed, with an undo where the
status table allows one. The queue of new needs is app.council.queue, the
groups of similar needs app.council.clusters."""

import datetime as dt

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.council import similar
from app.database import get_db
from app.errors import AppError
from app.privacy import public_text
from app.store import intake, triage
from app.store import needs as needs_store
from app.store import priorities as priority_store
from app.store.triage import TriageError
from sync import withhold

from . import sms
from .blueprint import bp
from .common import (
    REMOVAL_REASONS,
    SET_ASIDE_REASONS,
    acting_user,
    council_label,
    form_int,
    form_text,
    refused,
)
from .feedback import back_anchor, done, queue_state, return_fields, similar_state


def _need_or_404(need_id: int) -> dict:
    need = needs_store.by_id(get_db(), need_id)
    if need is None:
        raise AppError(404)
    return need


def _sms_texts(db, need: dict, history: list[dict]) -> list[dict]:
    """One text per status change of the need, newest first."""
    texts = []
    for row in history:
        change = row["changes"].get("status")
        if row["action"] != "status" or not change:
            continue
        status = change[1]
        detail = ""
        if status == "merged":
            detail = (row["changes"].get("merged_into") or [None, ""])[1] or ""
        elif status == "set_aside":
            detail = (row["changes"].get("reason") or [None, "other"])[1]
        elif status == "planned":
            priority = priority_store.priority_of_need(db, need["id"])
            if priority:
                names = [need["respondent_name"]] if need.get("respondent_name") else []
                detail = public_text.scrubbed(
                    db, priority["title"], names, checked=priority["text_checked"]
                )
        texts.append(
            {
                "at": row["when"],
                "status": status,
                "text": sms.status_text(need, status, detail=detail),
            }
        )
    texts.reverse()
    return texts


@bp.route("/needs/<int:need_id>")
@requires("triage")
def need(need_id):
    return _need_page(need_id)


def _need_page(need_id: int, *, error: str | None = None, field: str = "", typed=None):
    """The need's page; after a refused decision with ERROR beside FIELD and
    what was typed (TYPED) kept in its form, answered 422."""
    db = get_db()
    item = _need_or_404(need_id)
    history = triage.history(db, need_id)
    for row in history:
        row["when"] = dt.datetime.fromisoformat(row["at"])
    suggestions = []
    if item["status"] in ("new", "accepted"):
        pool = triage.candidates_for_similarity(db, similar.LIMIT)
        suggestions = similar.similar_to(item, pool, top=5)
    merged_to = needs_store.by_id(db, item["merged_into"]) if item.get("merged_into") else None
    return render_template(
        "council/need.html",
        need=item,
        history=history,
        next_statuses=sorted(triage.TRANSITIONS.get(item["status"], ()) - {"merged", "planned"}),
        can_merge=triage.allowed(item["status"], "merged"),
        reasons=SET_ASIDE_REASONS,
        removal_reasons=REMOVAL_REASONS,
        suggestions=suggestions,
        merged_in=triage.merged_into(db, need_id),
        merged_to=merged_to,
        priority=priority_store.priority_of_need(db, need_id),
        sms_texts=_sms_texts(db, item, history),
        error=error,
        error_field=field,
        typed=typed or {},
    ), (422 if error else 200)


@bp.route("/needs/<int:need_id>/remove", methods=["POST"])
@requires("triage")
def erase_need(need_id):
    """Remove a need as spam or on the citizen's erasure request (see
    app.store.needs.remove): erased here, retracted at every level above."""
    _need_or_404(need_id)
    reason = request.form.get("reason", "")
    if reason not in REMOVAL_REASONS:
        raise AppError(422, "invalid", details={"reason": ["Choose spam or erasure."]})
    user = acting_user()
    withhold.erase_need(get_db(), need_id, reason=reason, user_id=user["id"], role=user["role"])
    return redirect(url_for("council.need", need_id=need_id))


def _back(need_id: int, *, at: int | None = None):
    """Where a decision returns: the queue at the next need (or at AT), the
    similar needs, or the need's own page."""
    target, anchor = request.form.get("next"), back_anchor(at)
    if target == "triage":
        return redirect(url_for("council.triage", **queue_state()) + f"#{anchor}")
    if target == "similar":
        return redirect(url_for("council.similar", **similar_state()) + f"#{anchor}")
    return redirect(url_for("council.need", need_id=need_id))


def _refused_here(need_id: int, exc: TriageError, field: str = ""):
    """A refused decision: on the queue, a message at the same need; on the
    need's page, the page again with the reason beside FIELD and what was typed."""
    error = refused(exc)
    if request.form.get("next") in ("triage", "similar"):
        done(error.message, error=True, at=back_anchor(need_id))
        return _back(need_id, at=need_id)
    typed = {k: form_text(k, 1000) for k in ("into_ref", "note", "reason")}
    page, status = _need_page(need_id, error=str(error.message), field=field, typed=typed)
    return page, (422 if exc.code == "unknown_need" else error.status)


def _status_undo(before: dict, item: dict) -> dict | None:
    """Undo of a status change where the table allows going back exactly."""
    if not triage.allowed(item["status"], before["status"]) or item["status"] != "set_aside":
        return None
    return {
        "action": url_for("council.change_status", need_id=item["id"]),
        "label": _("Undo: make it new again"),
        "fields": {**return_fields(), "status": before["status"], "then": str(item["id"])},
    }


def _confirm_status(before: dict, item: dict) -> None:
    ref, status = item["ref"], item["status"]
    if status == "accepted":
        text = _("%(ref)s accepted.", ref=ref)
    elif status == "set_aside":
        reason = council_label("reason", form_text("reason", 40))
        text = _("%(ref)s set aside: %(reason)s.", ref=ref, reason=reason)
    elif status == "new":
        text = _("%(ref)s is back in the queue as a new need.", ref=ref)
    else:
        text = _("%(ref)s is now “%(status)s”.", ref=ref, status=council_label("status", status))
    done(text, undo=_status_undo(before, item))


@bp.route("/needs/<int:need_id>/status", methods=["POST"])
@requires("triage")
def change_status(need_id):
    new = form_text("status", 20)
    before = _need_or_404(need_id)
    try:
        item = triage.change_status(
            get_db(),
            need_id,
            new,
            user=acting_user(),
            reason=form_text("reason", 40) or None,
            note=form_text("note", 1000) or None,
        )
    except TriageError as exc:
        return _refused_here(need_id, exc, field="reason" if new == "set_aside" else "status")
    _confirm_status(before, item)
    return _back(need_id)


@bp.route("/needs/<int:need_id>/accept-kiosk", methods=["POST"])
@requires("triage")
def accept_kiosk(need_id):
    """A kiosk need becomes visible (app.store.intake) and accepted, in one go."""
    db = get_db()
    from app.store.db import write

    try:
        with write(db):
            if intake.accept_kiosk_need(db, need_id, acting_user()) is None:
                raise TriageError("unknown_need", need=need_id)
            item = triage.change_status(db, need_id, "accepted", user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
    done(_("%(ref)s accepted.", ref=item["ref"]))
    return _back(need_id)


def _target_id(db) -> int | None:
    """The need to merge into: a reference code typed, or an id from a button."""
    ref = form_text("into_ref", 40).upper()
    if ref:
        target = needs_store.by_ref(db, ref)
        return target["id"] if target else None
    return form_int("into")


@bp.route("/needs/<int:need_id>/merge", methods=["POST"])
@requires("triage")
def merge(need_id):
    db = get_db()
    item = _need_or_404(need_id)
    into = _target_id(db)
    if into is None:
        return _refused_here(need_id, TriageError("unknown_need"), field="into_ref")
    try:
        target = triage.merge(db, need_id, into, user=acting_user())
    except TriageError as exc:
        return _refused_here(need_id, exc, field="into_ref")
    done(
        _(
            "%(ref)s merged into %(into)s, which now has %(n)s supporters.",
            ref=item["ref"],
            into=target["ref"],
            n=target["supporters"],
        ),
        undo={
            "action": url_for("council.unmerge", need_id=need_id),
            "label": _("Undo the merge"),
            "fields": {**return_fields(), "then": str(need_id)},
        },
    )
    if request.form.get("next") in ("triage", "similar"):
        return _back(need_id)
    return redirect(url_for("council.need", need_id=into))


@bp.route("/needs/<int:need_id>/unmerge", methods=["POST"])
@requires("triage")
def unmerge(need_id):
    try:
        item = triage.unmerge(get_db(), need_id, user=acting_user())
    except TriageError as exc:
        if exc.code == "unknown_need":
            raise refused(exc) from None
        return _refused_here(need_id, exc)
    done(_("%(ref)s is a separate need again.", ref=item["ref"]))
    return _back(need_id)
