"""Find the respondent's own stored contact in text: as stored, and as its digits alone.

``contact_spans(text, contacts)`` returns offsets into the original text. A contact is found

* as stored, case- and accent-insensitive, with any run of spaces, dots, dashes or
  underscores where the stored form has one (``P.O. Box 4412 Kangemi`` also as
  ``p.o box 4412, kangemi`` is not found, but ``P.O.  Box 4412 Kangemi`` is);
* by its digits alone when it has at least 4: the digits in order, in any digit script,
  with up to three characters that are not letters or digits between them
  (``0745_112_250``, ``0745 112-250``); also without leading zeros and, for 9+ digits,
  as its last 9 (``+254 745 112 250`` for a stored ``0745112250``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .digits import ascii_digits
from .text_folding import fold

_GAP = r"(?:[^\w]|_){0,3}"
_FLEX = re.compile(r"[\s._\-]+")


@lru_cache(maxsize=512)
def _patterns(contact: str) -> tuple[re.Pattern, ...]:
    out = []
    folded = fold(contact.strip())[0]
    pieces = [p for p in _FLEX.split(folded) if p]
    if pieces and len(folded) >= 4:
        out.append(re.compile(r"[\s._\-]*".join(re.escape(p) for p in pieces)))
    digits = "".join(c for c in contact if c.isascii() and c.isdigit())
    if len(digits) >= 4:
        forms = {digits, digits.lstrip("0")}
        if len(digits) >= 9:
            forms.add(digits[-9:])
        for form in sorted(f for f in forms if len(f) >= 4):
            out.append(re.compile(r"(?<![0-9])" + _GAP.join(form) + r"(?![0-9])"))
    return tuple(out)


def clean_contacts(contacts: object) -> tuple[str, ...]:
    if contacts is None:
        return ()
    if isinstance(contacts, str):
        contacts = (contacts,)
    try:
        return tuple(c for c in contacts if isinstance(c, str) and len(c.strip()) >= 4)
    except TypeError:
        return ()


def contact_spans(text: str, contacts: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if not contacts:
        return spans
    nt, index = fold(text)
    ndt = ascii_digits(nt)
    for contact in contacts:
        for pattern in _patterns(ascii_digits(contact)):
            for m in pattern.finditer(ndt):
                if m.end() > m.start():
                    spans.append((index[m.start()], index[m.end() - 1] + 1))
    return spans
