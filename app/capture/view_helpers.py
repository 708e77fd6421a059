"""Helpers shared by the capture pages (need form, need page, needs list,
meetings): the node's categories for display, the need form's context and
posted values, translated field errors, and looking up a need by its ref."""

import uuid as uuid_mod

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from flask import request
from flask_babel import gettext as _

from app.database import get_db, node
from app.errors import AppError
from app.i18n import current as current_locale
from app.i18n.labels import category_label
from app.store import categories as category_store
from app.store import localities as locality_store
from app.store import needs as store
from schema import vocab

from .forms import FIELD_MESSAGES, TEXT_LANGUAGES, flat_errors


def display_categories(*, include_retired: bool = False) -> list[dict]:
    """The node's categories for display: code, label, icon, goals."""
    rows = category_store.rows(get_db(), include_retired=include_retired)
    for row in rows:
        row["label"] = category_label(row["code"], row)
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
        "text_languages": language_choices(values.get("language", "")),
        "localities": locality_choices(values.get("locality", "")),
        "genders": vocab.GENDERS,
        "age_bands": vocab.AGE_BANDS,
        "groups": vocab.GROUPS,
        "node_locality": node()["locality"],
    }


def locality_choices(chosen: str = "", limit: int = 200) -> list[tuple[str, str]]:
    """(code, name) of the places a need can be given: the node's locality and the
    known ones under it (the register's, and those already used), named in the
    interface language where the register has a name, else by their last part."""
    db = get_db()
    own = node()["locality"]
    names = locality_store.names(db, current_locale().code)
    codes = {own, *(c for c in names if c.startswith(own + "/"))}
    codes.update(c for c in locality_store.in_use(db, limit) if c.startswith(own + "/"))
    if chosen and chosen not in codes:
        codes.add(chosen)  # what was typed stays on the form, even when it is refused

    def name(code: str) -> str:
        if code in names:
            return names[code]
        if code == own:
            return node()["name"]
        rest = code[len(own) + 1 :] if code.startswith(own + "/") else code
        parts = (part.replace("_", " ").replace("-", " ").title() for part in rest.split("/"))
        return " · ".join(parts)

    ordered = sorted(codes - {own})[:limit]
    return [(own, name(own))] + [(code, name(code)) for code in ordered]


def place_name(code: str) -> str:
    """The name of a locality CODE as the place pickers show it (the code when unknown)."""
    from flask import g

    if "capture_place_names" not in g:
        g.capture_place_names = dict(locality_choices())
    return g.capture_place_names.get(code, code)


def language_choices(chosen: str = "") -> list[tuple[str, str]]:
    """(tag, name) of the languages offered for the text: each by its own name, with
    the name in the interface language after it when that differs."""
    ui = current_locale().code
    out = []
    for tag, native in TEXT_LANGUAGES:
        out.append((tag, _with_ui_name(tag, native, ui)))
    if chosen and chosen.lower() not in {tag.lower() for tag, _n in out}:
        out.insert(0, (chosen, _with_ui_name(chosen, chosen, ui)))
    return out


def language_name(tag: str) -> str:
    """A text language as the picker names it (its tag when unknown)."""
    for known, name in language_choices(tag):
        if known.lower() == (tag or "").lower():
            return name
    return tag


def _with_ui_name(tag: str, native: str, ui: str) -> str:
    try:
        local = BabelLocale.parse(tag.replace("-", "_")).get_display_name(ui) or ""
    except (UnknownLocaleError, ValueError, TypeError):
        local = ""
    if not local or local.casefold() == native.casefold():
        return native
    return f"{native} — {local}"


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
