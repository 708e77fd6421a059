"""Scrub personal data from free text before it crosses a node boundary.

See CONTRACT.md, "What crosses a node boundary", and DESIGN.md principle 3. Free text
(need texts, meeting titles, priority and action texts, progress notes) is shared only
after this module has replaced personal data with placeholders:

    [email]  e-mail addresses
    [url]    URLs with a personal path, query or fragment (bare domains stay)
    [phone]  phone numbers found by ``phonenumbers`` (the node's country first, then
             75 other regions), and any run of 7+ digits, in any digit script,
             possibly separated by spaces, dots, dashes or brackets (the generic
             fallback; digits are compared as ASCII, offsets stay in the original)
    [id]     runs of 6+ digits that look like ID numbers (possibly glued to letters,
             e.g. ``KE1234567``) and are not already a phone number
    [name]   each part of the respondent's own name, case-, accent- and
             script-aware, also with the language's prefixes and suffixes glued on
    [contact] the respondent's own stored contact wherever it appears: as stored, and
             as its digits alone in any digit script and with any separators (this
             rule comes first)

Rules apply in the order contact, e-mail, URL, phone, ID, name; an earlier rule wins where findings overlap (the part of a
later finding outside the earlier one is still replaced, so nothing leaks through the
seams). All offsets refer to the original text.

Known limits (a person still looks at scrubbed text before it is shared):

* Only the respondent's *own* names are found; other people's names are not.
* Latin, Cyrillic, Greek... names match whole words only (``Juma`` is not found in
  ``Jumamosi``), so inflected forms without an apostrophe (Finnish ``Marin``, Russian
  ``Марии``) are missed. Common name particles (``de``, ``la``, ``bin``, ``al``...)
  are never matched alone. A name that is also an ordinary word (``Grace``, ``Rosa``,
  Swahili ``ana``, Arabic ``حسن``) is replaced wherever the word occurs.
* Arabic and Hebrew names may carry clitic prefixes (``بفاطمة``); Ethiopic names known
  prefixes and suffixes; Indic-script names any suffix; Chinese, Japanese, Korean,
  Thai, Lao, Khmer, Myanmar names are matched as substrings, which can over-match.
* Any run of 7+ digits with spaces, dots or dashes is treated as a phone number, so
  dates like ``2024-03-12`` or ``12.03.2024``, amounts like ``1.500.000`` and IP
  addresses are replaced too. Amounts with commas (``1,500,000``) stay.
* Phone numbers with fewer than 5 digits (or fewer than 7 outside the node's country),
  numbers spelled out in words, social-media handles (``@mary_a``) and obfuscated
  e-mails (``mary at example dot com``) are not found.
* Any URL path other than ``/`` is treated as personal.

Where each part lives (modules of this package): ``emails``, ``urls``, ``phones`` (with
``phone_regions``), ``id_numbers`` and ``respondent_names`` (with ``text_folding`` and
``script_classes``) find candidate spans; ``digits`` makes digits in any script ASCII
for the number rules; ``findings`` resolves overlaps. This module ties them together.
"""

from __future__ import annotations

import re
from typing import Iterable

from .contacts import clean_contacts, contact_spans
from .digits import ascii_digits
from .emails import email_spans
from .findings import Finding, resolve
from .id_numbers import id_spans
from .phone_regions import OTHER_REGIONS, normalize_country  # noqa: F401
from .phones import phone_spans
from .respondent_names import clean_names, name_spans
from .urls import url_spans

__all__ = ["PLACEHOLDERS", "Finding", "find_personal_data", "scrub"]
# OTHER_REGIONS (app.privacy.scrub.phone_regions) is imported above so that it stays importable
# from here, as before this module was split.

PLACEHOLDERS = ("[phone]", "[email]", "[id]", "[url]", "[name]", "[contact]")

_PLACEHOLDER = {p[1:-1]: p for p in PLACEHOLDERS}


def _find(text: str, country: object, names: object, contacts: object = ()) -> list[Finding]:
    code = normalize_country(country)
    dt = ascii_digits(text)
    candidates = {
        "contact": contact_spans(text, clean_contacts(contacts)),
        "email": email_spans(text),
        "url": url_spans(text),
        "phone": phone_spans(dt, code),
        "id": id_spans(dt),
        "name": name_spans(text, clean_names(names)),
    }
    return resolve(text, candidates)


_EMERGENCY_RE = re.compile(r"\S*@\S+|\d(?:\D{0,3}\d){5,}")


def _emergency(text: str) -> list[Finding]:
    """Crude but safe findings, used only if the normal path ever fails."""
    try:
        return [
            Finding("email" if "@" in m.group() else "phone", m.start(), m.end())
            for m in _EMERGENCY_RE.finditer(text)
        ]
    except Exception:  # pragma: no cover
        return [Finding("name", 0, len(text))] if text else []


def _as_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if text is None:
        return ""
    try:
        return str(text)
    except Exception:
        return ""


# ------------------------------------------------------------------------------ API


def find_personal_data(
    text: str,
    *,
    country: str | None = None,
    names: Iterable[str] = (),
    contacts: Iterable[str] = (),
) -> list[Finding]:
    """Non-overlapping findings sorted by start.

    ``country`` is the node's ISO 3166 alpha-2 code (tried first for phone numbers);
    ``names`` are the respondent's names, each split into parts on whitespace;
    ``contacts`` the respondent's stored contacts (phone, e-mail, postal address).
    """
    text = _as_text(text)
    if not text:
        return []
    try:
        return _find(text, country, names, contacts)
    except Exception:  # never fail open, never raise
        return _emergency(text)


def scrub(
    text: str,
    *,
    country: str | None = None,
    names: Iterable[str] = (),
    contacts: Iterable[str] = (),
) -> str:
    """The text with every finding replaced by its placeholder, e.g. "[phone]"."""
    text = _as_text(text)
    if not text:
        return text
    out: list[str] = []
    pos = 0
    for f in find_personal_data(text, country=country, names=names, contacts=contacts):
        out.append(text[pos : f.start])
        out.append(_PLACEHOLDER[f.kind])
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
