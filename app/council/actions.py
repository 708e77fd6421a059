"""Action plans: adding and editing a priority's actions, dated progress
notes, and the list of all actions with the overdue ones first."""

from decimal import Decimal, InvalidOperation

from babel.numbers import get_territory_currencies, list_currencies
from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.auth.permissions import requires
from app.database import get_db
from app.errors import AppError
from app.node import settings
from app.store import actions as store
from app.store import priorities as priority_store

from .blueprint import bp
from .common import ACTION_STATUSES, acting_user, form_date, form_text, today


def currency_choices() -> list[str]:
    return sorted(list_currencies())


def default_currency() -> str:
    country = settings.get(get_db(), "country")
    if country:
        found = get_territory_currencies(country)
        if found:
            return found[0]
    return "USD"


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
    amount = form_text("budget_amount", 30).replace(",", "").replace(" ", "")
    if amount:
        try:
            number = Decimal(amount)
            if not number.is_finite() or number < 0:
                raise InvalidOperation
            values["budget_amount"] = str(number)
        except InvalidOperation:
            errors["budget_amount"] = _l("Enter the budget as a number, such as 150000.50.")
        currency = form_text("budget_currency", 3).upper()
        if currency not in list_currencies():
            errors["budget_currency"] = _l("Choose an ISO 4217 currency code, such as KES.")
        values["budget_currency"] = currency
    start, due = values["start_date"], values["due_date"]
    if start and due and due < start:
        errors["due_date"] = _l("The due date cannot be before the start date.")
    return values


def _invalid(errors: dict) -> AppError:
    first = next(iter(errors.values()))
    return AppError(422, "invalid", first, {k: [str(v)] for k, v in errors.items()})


@bp.route("/priorities/<int:priority_id>/actions", methods=["POST"], endpoint="add_action")
@requires("triage")
def add_action(priority_id):
    db = get_db()
    if priority_store.get(db, priority_id) is None:
        raise AppError(404)
    errors: dict = {}
    values = _read(errors)
    if errors:
        raise _invalid(errors)
    store.create(db, priority_id, **values)
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
            store.update(db, action_id, **values)
            return redirect(url_for("council.action", action_id=action_id))
        action.update(values)
    return render_template(
        "council/action.html",
        action=action,
        priority=priority_store.get(db, action["priority_id"]),
        notes=store.notes(db, action_id),
        currencies=currency_choices(),
        errors=errors,
        today=today(),
    ), (422 if errors else 200)


@bp.route("/actions/<int:action_id>/notes", methods=["POST"], endpoint="add_note")
@requires("triage")
def add_note(action_id):
    _action_or_404(action_id)
    errors: dict = {}
    date = form_date("date", errors) or today().isoformat()
    note = form_text("note", 2000)
    if not note:
        errors["note"] = _l("Write what happened.")
    if errors:
        raise _invalid(errors)
    store.add_note(get_db(), action_id, date=date, note=note, user_id=acting_user()["id"])
    return redirect(url_for("council.action", action_id=action_id))
