"""Security at the HTTP edge: headers on every response, the one rule for
redirect targets taken from a request, and strict JSON bodies."""

import json
import re
from urllib.parse import unquote, urlsplit

from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter
from werkzeug.urls import iri_to_uri

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

MAX_NEXT = 2000  # characters of a redirect target
MAX_JSON_DEPTH = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def add_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), geolocation=()")
    return response


def local_path(target: str | None) -> str | None:
    """TARGET when it is a path on this node, else None.

    Every `next` (and any other redirect target taken from a request) goes
    through here. A path starts with one "/" and holds no backslash, no control
    character, no scheme and no host, in its given form and after every layer of
    percent-decoding (so `/%09/evil`, `/%2F/evil` and `/%5Cevil` are refused,
    as browsers would read them as another host)."""
    if not target or len(target) > MAX_NEXT:
        return None
    seen = target
    for _ in range(5):  # each layer of percent-encoding, up to a bound
        if (
            not seen.startswith("/")
            or seen.startswith("//")
            or "\\" in seen
            or _CONTROL.search(seen)
            or _SURROGATE.search(seen)
        ):
            return None
        parts = urlsplit(seen)
        if parts.scheme or parts.netloc:
            return None
        try:
            decoded = unquote(seen, errors="strict") if "%" in seen else seen
        except UnicodeDecodeError:  # percent-escapes that are not UTF-8
            return None
        if decoded == seen:
            return iri_to_uri(target)  # non-ASCII letters percent-encoded for the header
        seen = decoded
    return None


_JSON_MARKS = re.compile(r'\\.|["\[\]{}]', re.DOTALL)


def _depth_ok(text: str) -> bool:
    """False when brackets nest deeper than MAX_JSON_DEPTH (strings skipped)."""
    depth, in_string = 0, False
    for match in _JSON_MARKS.finditer(text):
        mark = match.group()
        if mark == '"':
            in_string = not in_string
        elif in_string or len(mark) == 2:
            continue
        elif mark in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        else:
            depth -= 1
    return True


def _no_lone_surrogates(value) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ValueError("a string holds a lone surrogate (\\ud800-\\udfff)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def strict_loads(data, **kwargs):
    """json.loads that refuses what no valid Unicode JSON text holds: nesting
    deeper than MAX_JSON_DEPTH, lone surrogates (`"\\ud800"`), and numbers too
    long to convert; every refusal is a ValueError (a 400 for the client)."""
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("utf-8")  # UnicodeDecodeError is a ValueError
    if not _depth_ok(data):
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(data, **kwargs)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValueError("JSON nested too deep") from None
    _no_lone_surrogates(value)
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading request bodies with `strict_loads`."""

    ensure_ascii = False  # Arabic, Chinese ... as text, a third of the bytes
    sort_keys = False

    def loads(self, s, **kwargs):
        return strict_loads(s, **kwargs)  # kwargs: the session's object_hook, for one


def safe_next(target: str | None) -> str:
    """Where a redirect taken from a request may lead: TARGET when it is a path
    on this node (see local_path), else the home page."""
    from flask import url_for

    return local_path(target) or url_for("main.home")


class SQLiteInt(IntegerConverter):
    """`<int:...>` in routes: at most 2**63 - 1, the largest number SQLite
    stores, so a longer number in a URL is a 404 and never reaches a query."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)
