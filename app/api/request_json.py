"""Reading JSON bodies strictly: 400 for anything that is not a JSON object."""

import json

from flask import request
from flask_babel import lazy_gettext as _l

from app.errors import AppError


def json_object() -> dict:
    """The request body as a JSON object, or a 400 (nesting too deep to parse included)."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AppError(400, "malformed_json", _l("The body is not valid JSON in UTF-8.")) from None
    if not isinstance(body, dict):
        raise AppError(400, "not_an_object", _l("The body must be a JSON object."))
    return body


def field_errors(messages: dict) -> AppError:
    return AppError(422, "invalid", _l("Some fields are not valid."), details=messages)


def page_args(max_per_page: int = 200) -> tuple[int, int]:
    errors = {}
    values = {}
    for name, default in (("page", 1), ("per_page", 50)):
        raw = request.args.get(name)
        if raw is None or raw == "":
            values[name] = default
            continue
        try:
            values[name] = int(raw)
            if values[name] < 1:
                raise ValueError
        except ValueError:
            errors[name] = ["Must be a whole number of at least 1."]
    if errors:
        raise field_errors(errors)
    return values["page"], min(values["per_page"], max_per_page)
