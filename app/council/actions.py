"""Action plans: adding and editing a priority's actions, dated progress
notes, and the list of all actions with the overdue ones first."""

from babel.numbers import list_currencies
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.permissions import requires
from app.database import get_db
from app.errors import AppError
from app.store import actions as store
from app.store import priorities as priority_store

from .blueprint import bp
from .budget import currency_choices, read_budget
from .common import ACTION_STATUSES, acting_user, form_date, form_text, today
from .feedback import done
from .priorities import render_priority


def _read(errors: dict) -> dict:
    values = {
        "what": form_text("what", 1000),
        "responsible": form_text("responsible", 200),
        "status": form_text("status", 20) or "planned",
        "start_date": form_date("start_date", errors),
        "due_date": form_date("due_date", errors),
        "budget_amount": None,
        "budget_currency": None,
    }
    if not values["what"]:
        errors["what"] = _l("Say what will be done.")
    if values["status"] not in ACTION_STATUSES:
        errors["status"] = _l("Choose a status from the list.")
    typed = form_text("budget_amount", 60)
    values["budget_typed"] = typed
    if typed:
        currency = form_text("budget_currency", 3).upper()
        values["budget_currency"] = currency
        if currency not in list_currencies():
            errors["budget_currency"] = _l("Choose an ISO 4217 currency code, such as KES.")
        amount, problem = read_budget(typed, currency)
        if problem:
            errors["budget_amount"] = problem
        values["budget_amount"] = amount
    start, due = values["start_date"], values["due_date"]
    if start and due and due < start:
        errors["due_date"] = _l("The due date cannot be before the start date.")
    return values


def _stored(values: dict) -> dict:
    return {k: v for k, v in values.items() if k != "budget_typed"}


@bp.route("/priorities/<int:priority_id>/actions", methods=["POST"], endpoint="add_action")
@requires("triage")
def add_action(priority_id):
    db = get_db()
    if priority_store.get(db, priority_id) is None:
        raise AppError(404)
    errors: dict = {}
    values = _read(errors)
    if errors:
        return render_priority(priority_id, action=values, action_errors=errors)
    store.create(db, priority_id, **_stored(values))
    done(_("Action added: %(what)s", what=values["what"]), at="actions")
    return redirect(url_for("council.priority", priority_id=priority_id) + "#actions")


def _action_or_404(action_id: int) -> dict:
    action = store.get(get_db(), action_id, today=today())
    if action is None:
        raise AppError(404)
    return action


@bp.route("/actions", endpoint="actions")
@requires("triage")
def actions_page():
    db = get_db()
    items = store.all_actions(db, today=today())
    return render_template(
        "council/actions.html",
        overdue=[a for a in items if a["overdue"]],
        others=[a for a in items if not a["overdue"]],
        today=today(),
    )


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"], endpoint="action")
@requires("triage")
def action_page(action_id):
    db = get_db()
    action = _action_or_404(action_id)
    errors: dict = {}
    if request.method == "POST":
        values = _read(errors)
        if not errors:
            store.update(db, action_id, **_stored(values))
            done(_("Saved."))
            return redirect(url_for("council.action", action_id=action_id))
        action.update(values)
    return _render_action(action, errors=errors)


def _render_action(action: dict, *, errors=None, note=None, note_errors=None):
    db = get_db()
    failed = bool(errors or note_errors)
    return render_template(
        "council/action.html",
        action=action,
        priority=priority_store.get(db, action["priority_id"]),
        notes=store.notes(db, action["id"]),
        currencies=currency_choices(),
        errors=errors or {},
        note=note or {},
        note_errors=note_errors or {},
        today=today(),
    ), (422 if failed else 200)


@bp.route("/actions/<int:action_id>/notes", methods=["POST"], endpoint="add_note")
@requires("triage")
def add_note(action_id):
    action = _action_or_404(action_id)
    errors: dict = {}
    date = form_date("date", errors) or today().isoformat()
    note = form_text("note", 2000)
    if not note:
        errors["note"] = _l("Write what happened.")
    if errors:
        typed = {"date": form_text("date", 10), "note": note}
        return _render_action(action, note=typed, note_errors=errors)
    store.add_note(get_db(), action_id, date=date, note=note, user_id=acting_user()["id"])
    done(_("Progress note added."))
    return redirect(url_for("council.action", action_id=action_id))
