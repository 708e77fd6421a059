"""Priorities: the ranked list with the evidence behind each, creating and
editing a priority, grouping needs under it."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.auth.permissions import requires
from app.database import get_db, node
from app.errors import AppError
from app.i18n.labels import GOALS
from app.store import actions as action_store
from app.store import priorities as store
from app.store.db import write
from app.store.triage import TriageError

from .blueprint import bp
from .budget import currency_choices, default_currency
from .common import (
    PRIORITY_STATUSES,
    acting_user,
    form_goals,
    form_int,
    form_text,
    refused,
    today,
)
from .feedback import done
from .picker import chosen_ids, picker


def _evidence_view(ev: dict | None) -> dict:
    """Evidence with shares in percent (of the needs counted)."""
    ev = ev or store.EMPTY_EVIDENCE
    n = ev["needs"]

    def share(count):
        return round(100 * count / n) if n else 0

    return {
        **ev,
        "women_share": share(ev["women"]),
        "youth_share": share(ev["youth"]),
        "group_shares": [(g, c, share(c)) for g, c in ev["groups"].most_common()],
        "locality_list": ev["localities"].most_common(),
    }


@bp.route("/priorities", endpoint="priorities")
@requires("triage")
def priorities_page():
    db = get_db()
    evidence = store.evidence(db)
    items = store.list_all(db)
    overdue = {a["priority_id"] for a in action_store.overdue(db, today=today())}
    for item in items:
        item["evidence"] = _evidence_view(evidence.get(item["id"]))
        item["overdue"] = item["id"] in overdue
    return render_template(
        "council/priorities.html",
        priorities=items,
        active=[p for p in items if p["status"] in store.ACTIVE],
        others=[p for p in items if p["status"] not in store.ACTIVE],
    )


def _read_form(errors: dict) -> dict:
    title = form_text("title", 200)
    if not title:
        errors["title"] = _l("Give the priority a short title.")
    locality = form_text("locality", 200) or node()["locality"]
    from schema.fields import under

    if not under(locality, node()["locality"]):
        errors["locality"] = _l("The locality must be at or under this node's locality.")
    return {
        "title": title,
        "description": form_text("description", 4000),
        "goals": form_goals(),
        "locality": locality,
    }


@bp.route("/priorities/new", methods=["GET", "POST"], endpoint="new_priority")
@requires("triage")
def new_priority():
    """The form; its need picker's search and page buttons post the form back
    (nothing typed is lost) and only "Create" creates."""
    db = get_db()
    errors: dict = {}
    values = {"title": "", "description": "", "goals": [], "locality": node()["locality"]}
    chosen: list[int] = []
    if request.method == "POST":
        chosen = chosen_ids(request.form.getlist("need"))
        browsing = "find" in request.form or "npage" in request.form
        values = _read_form({} if browsing else errors)
        if not browsing and not errors:
            try:
                priority_id = store.create(db, **values, user=acting_user(), need_ids=chosen)
            except TriageError as exc:
                errors["need"] = refused(exc).message
            else:
                return redirect(url_for("council.priority", priority_id=priority_id))
    source = request.form if request.method == "POST" else request.args
    return render_template(
        "council/priority_form.html",
        values=values,
        errors=errors,
        goals=GOALS,
        pick=picker(db, source, chosen),
    ), (422 if errors else 200)


def _priority_or_404(priority_id: int) -> dict:
    item = store.get(get_db(), priority_id)
    if item is None:
        raise AppError(404)
    return item


@bp.route("/priorities/<int:priority_id>", endpoint="priority")
@requires("triage")
def priority_page(priority_id):
    return render_priority(priority_id)


def render_priority(
    priority_id: int, *, action=None, action_errors=None, edit=None, edit_errors=None
):
    """The priority's page; after a refused form, with what was typed and the
    errors beside the fields (422)."""
    db = get_db()
    item = _priority_or_404(priority_id)
    actions = action_store.of_priority(db, priority_id, today=today())
    for each in actions:
        each["notes"] = action_store.notes(db, each["id"])
    failed = bool(action_errors or edit_errors)
    return render_template(
        "council/priority.html",
        priority=item,
        evidence=_evidence_view(store.evidence(db).get(priority_id)),
        needs=store.needs_of(db, priority_id),
        pick=picker(db, request.args, []),
        actions=actions,
        history=store.history(db, priority_id),
        statuses=PRIORITY_STATUSES,
        goals=GOALS,
        currencies=currency_choices(),
        default_currency=default_currency(),
        today=today(),
        new_action=action,
        errors=action_errors or {},
        edit=edit or item,
        edit_errors=edit_errors or {},
        preview=_shared_preview(db, item),
    ), (422 if failed else 200)


def _shared_preview(db, item: dict) -> list[list[dict]]:
    """The priority's title and description as they would leave the node once
    checked (app.privacy.sharing), cut for review (app.privacy.review.pieces)."""
    from app.privacy import review
    from app.privacy.sharing import Rule
    from app.store import council as council_store

    rule, names = Rule(db), council_store.respondent_names(db, item["id"])
    texts = [item["title"], item.get("description") or ""]
    return [review.pieces(rule.scrubbed(t, names=names)) for t in texts if t]


@bp.route("/priorities/<int:priority_id>/edit", methods=["POST"], endpoint="edit_priority")
@requires("triage")
def edit_priority(priority_id):
    _priority_or_404(priority_id)
    errors: dict = {}
    values = _read_form(errors)
    if errors:
        return render_priority(priority_id, edit=values, edit_errors=errors)
    store.update(get_db(), priority_id, user=acting_user(), **values)
    done(_("Saved."))
    return redirect(url_for("council.priority", priority_id=priority_id))


@bp.route("/priorities/<int:priority_id>/status", methods=["POST"], endpoint="priority_status")
@requires("triage")
def priority_status(priority_id):
    _priority_or_404(priority_id)
    status = form_text("status", 20)
    if status not in PRIORITY_STATUSES:
        raise AppError(422, "invalid", details={"status": ["Unknown status."]})
    db = get_db()
    store.update(db, priority_id, user=acting_user(), status=status)
    if status == "done" and request.form.get("resolve_needs"):
        store.resolve_needs(db, priority_id, user=acting_user())
    return redirect(url_for("council.priority", priority_id=priority_id))


@bp.route("/priorities/<int:priority_id>/check", methods=["POST"], endpoint="priority_check")
@requires("triage")
def priority_check(priority_id):
    _priority_or_404(priority_id)
    db, checked = get_db(), bool(request.form.get("checked"))
    with write(db):  # the priority's texts and its actions' texts are checked together
        store.update(db, priority_id, user=acting_user(), text_checked=checked)
        action_store.check_texts(db, priority_id, checked)
    return redirect(url_for("council.priority", priority_id=priority_id))


@bp.route("/priorities/<int:priority_id>/move", methods=["POST"], endpoint="move_priority")
@requires("triage")
def move_priority(priority_id):
    step = -1 if request.form.get("direction") == "up" else 1
    try:
        store.move(get_db(), priority_id, step, user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
    return redirect(url_for("council.priorities") + f"#p{priority_id}")


@bp.route("/priorities/<int:priority_id>/needs", methods=["POST"], endpoint="add_needs")
@requires("triage")
def add_needs(priority_id):
    _priority_or_404(priority_id)
    db = get_db()
    ids = chosen_ids(request.form.getlist("need"))
    try:
        with write(db):
            for need_id in ids:
                store.add_need(db, priority_id, need_id, user=acting_user())
    except TriageError as exc:
        done(refused(exc).message, error=True, at="needs")
    else:
        done(ngettext("%(num)s need added.", "%(num)s needs added.", len(ids)), at="needs")
    return redirect(url_for("council.priority", priority_id=priority_id) + "#needs")


@bp.route("/priorities/<int:priority_id>/needs/remove", methods=["POST"], endpoint="remove_need")
@requires("triage")
def remove_need(priority_id):
    need_id = form_int("need")
    try:
        store.remove_need(get_db(), priority_id, need_id or 0, user=acting_user())
    except TriageError as exc:
        raise refused(exc) from None
    return redirect(url_for("council.priority", priority_id=priority_id))
