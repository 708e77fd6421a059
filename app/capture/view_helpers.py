"""Helpers shared by the capture pages (need form, need page, needs list,
meetings): the node's categories for display, the need form's context and
posted values, translated field errors, and looking up a need by its ref."""

import uuid as uuid_mod

from flask import request
from flask_babel import gettext as _

from app.database import get_db, node
from app.errors import AppError
from app.i18n import current as current_locale
from app.i18n.labels import CATEGORIES
from app.store import categories as category_store
from app.store import needs as store
from schema import vocab

from .forms import FIELD_MESSAGES, TEXT_LANGUAGES, flat_errors


def display_categories(*, include_retired: bool = False) -> list[dict]:
    """The node's categories for display: code, label, icon, goals."""
    rows = category_store.rows(get_db(), include_retired=include_retired)
    for row in rows:
        row["label"] = row["label"] or CATEGORIES.get(row["code"], row["code"])
    return rows


def category_map() -> dict[str, dict]:
    from flask import g

    if "capture_category_map" not in g:
        g.capture_category_map = {c["code"]: c for c in display_categories(include_retired=True)}
    return g.capture_category_map


def error_messages(details: dict) -> dict[str, str]:
    """Translated messages per form field from the schema's error details."""
    out = {}
    for key in flat_errors(details):
        message = FIELD_MESSAGES.get(key)
        if message is None:
            out.setdefault("form", _("Some fields are not valid."))
            continue
        out[key] = str(message) % {"locality": node()["locality"]}
    return out


def need_or_404(ref: str) -> dict:
    need = store.by_ref(get_db(), ref.strip().upper())
    if need is None:
        raise AppError(404)
    return need


def changeable_need(ref: str) -> dict:
    """The need, unless it was removed (then nothing about it may change)."""
    need = need_or_404(ref)
    if need["removed"]:
        raise AppError(409, "removed", _("This need was removed; it cannot change any more."))
    return need


def form_context(values: dict, errors: dict) -> dict:
    return {
        "values": values,
        "errors": errors,
        "categories": display_categories(),
        "text_languages": TEXT_LANGUAGES,
        "genders": vocab.GENDERS,
        "age_bands": vocab.AGE_BANDS,
        "groups": vocab.GROUPS,
        "node_locality": node()["locality"],
    }


def new_values(**extra) -> dict:
    values = {"uuid": str(uuid_mod.uuid4()), "language": current_locale().tag, "supporters": 1}
    values.update(extra)
    return values


def posted_values(form) -> dict:
    values = {key: form.get(key, "") for key in form}
    values["groups"] = form.getlist("groups")
    values["goals"] = form.getlist("goals")
    return values


def refused_form(error: AppError) -> tuple[dict, dict]:
    """What to show again after a refused capture: the typed values and the
    errors. A 409 means the uuid was saved with different content (the form was
    changed after saving): keep what was typed, under a new uuid."""
    values = posted_values(request.form)
    if error.status == 409:
        values["uuid"] = str(uuid_mod.uuid4())
        return values, {
            "form": _("This form was already saved once. Save again to store it as a new need.")
        }
    if error.status == 422:
        return values, error_messages(error.details)
    if error.status == 507:  # disk full: keep what was typed, same uuid for the retry
        return values, {"form": str(error.message)}
    raise error
