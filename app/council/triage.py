"""Triage: new needs by category and locality, kiosk needs waiting, one
need's page (status, merge, un-merge, history, SMS texts), similar needs."""

import datetime as dt
from collections import defaultdict

from flask import redirect, render_template, request, url_for

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
from .common import REMOVAL_REASONS, SET_ASIDE_REASONS, acting_user, form_int, form_text, refused


def _grouped(rows: list[dict]) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """[(category, [(locality, [needs])])] in the order the rows come."""
    groups: dict = defaultdict(lambda: defaultdict(list))
    for row in rows:
        groups[row["category"]][row["locality"]].append(row)
    return [(cat, list(locs.items())) for cat, locs in groups.items()]


@bp.route("/", endpoint="triage")
@bp.route("/triage", endpoint="triage")
@requires("triage")
def triage_page():
    db = get_db()
    new = triage.queue(db, ("new",))
    return render_template(
        "council/triage.html",
        kiosk=triage.queue(db, ("new",), hidden=True),
        groups=_grouped(new),
        new_count=len(new),
        counts=triage.counts_by_status(db),
        reasons=SET_ASIDE_REASONS,
        removal_reasons=REMOVAL_REASONS,
    )


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
    )


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


def _back(need_id: int):
    target = request.form.get("next")
    if target == "triage":
        return redirect(url_for("council.triage"))
    if target == "similar":
        return redirect(url_for("council.similar"))
    return redirect(url_for("council.need", need_id=need_id))


@bp.route("/needs/<int:need_id>/status", methods=["POST"])
@requires("triage")
def change_status(need_id):
    new = form_text("status", 20)
    try:
        triage.change_status(
            get_db(),
            need_id,
            new,
            user=acting_user(),
            reason=form_text("reason", 40) or None,
            note=form_text("note", 1000) or None,
        )
    except TriageError as exc:
        raise refused(exc) from None
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
            triage.change_status(db, need_id, "accepted", user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
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
    into = _target_id(db)
    if into is None:
        raise refused(TriageError("unknown_need"))
    try:
        triage.merge(db, need_id, into, user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
    return redirect(url_for("council.need", need_id=into))


@bp.route("/needs/<int:need_id>/unmerge", methods=["POST"])
@requires("triage")
def unmerge(need_id):
    try:
        triage.unmerge(get_db(), need_id, user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
    return _back(need_id)


@bp.route("/similar", endpoint="similar")
@requires("triage")
def similar_page():
    db = get_db()
    threshold = request.args.get("threshold", type=int) or similar.THRESHOLD
    threshold = min(max(threshold, 50), 100)
    pool = triage.candidates_for_similarity(db, similar.LIMIT)
    found = similar.clusters(pool, threshold=threshold)
    for cluster in found:
        accepted = [n for n in cluster if n["status"] == "accepted"]
        cluster_target = min(accepted or cluster, key=lambda n: (-n["supporters"], n["id"]))
        for n in cluster:
            n["suggested_target"] = n["id"] == cluster_target["id"]
    return render_template(
        "council/similar.html", clusters=found, threshold=threshold, limit=similar.LIMIT
    )


@bp.route("/similar/merge", methods=["POST"])
@requires("triage")
def merge_cluster():
    db = get_db()
    into = form_int("into")
    ids = [int(v) for v in request.form.getlist("need") if v.isdigit()]
    if into is None or not ids:
        raise AppError(422, "invalid", details={"need": ["Choose the needs to merge."]})
    try:
        triage.merge_many(db, ids, into, user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
    return redirect(url_for("council.need", need_id=into))
