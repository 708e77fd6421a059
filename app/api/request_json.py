"""Reading JSON bodies strictly: 400 for anything that is not a JSON object."""

from flask import request
from flask_babel import lazy_gettext as _l

from app.errors import AppError
from app.security import strict_loads


def json_object() -> dict:
    """The request body as a JSON object, or a 400 (nesting too deep to parse included)."""
    raw = request.get_data(cache=True)
    try:
        body = strict_loads(raw)
    except ValueError:  # invalid UTF-8, too deep, lone surrogates
        raise AppError(400, "malformed_json", _l("The body is not valid JSON in UTF-8.")) from None
    if not isinstance(body, dict):
        raise AppError(400, "not_an_object", _l("The body must be a JSON object."))
    return body


def field_errors(messages: dict) -> AppError:
    return AppError(422, "invalid", _l("Some fields are not valid."), details=messages)


MAX_PAGE = 1_000_000_000  # (page - 1) * per_page stays far inside SQLite's integers


def page_args(max_per_page: int = 200) -> tuple[int, int]:
    """page and per_page from the query: a per_page over MAX_PER_PAGE (however
    long) is treated as MAX_PER_PAGE; page is 1 to MAX_PAGE; anything else is a 422."""
    errors = {}
    values = {}
    for name, default in (("page", 1), ("per_page", 50)):
        raw = (request.args.get(name) or "").strip()
        if raw == "":
            values[name] = default
            continue
        if not (raw.isascii() and raw.isdigit()) or int(raw[:12]) < 1:
            errors[name] = ["Must be a whole number of at least 1."]
        elif name == "per_page":
            values[name] = max_per_page if len(raw) > 12 else int(raw)
        elif len(raw) > 10 or int(raw) > MAX_PAGE:
            errors[name] = [f"Must be a whole number from 1 to {MAX_PAGE}."]
        else:
            values[name] = int(raw)
    if errors:
        raise field_errors(errors)
    return values["page"], min(values["per_page"], max_per_page)
