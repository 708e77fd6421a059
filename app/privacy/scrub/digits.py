"""Digits in any script, for the scrubber's number rules (app.privacy.scrub).

``ascii_digits`` turns every Unicode decimal digit (Arabic-Indic ``٠١٢``, Devanagari
``०१२``, full-width ``０１２``...) into its ASCII digit, one character for one
character, so the phone and ID rules can work on ASCII digits while their offsets
still point into the original text. Ethiopic numerals (``፩``-``፼``, not decimal digits to Unicode and not positional) count
as digits too: units become ``1``-``9``, tens their first digit, ``፻``/``፼`` ``0`` — the
value is lost, but a run of them is found like any other run of digits.
``ASCII_LETTERS`` and ``ASCII_ALNUM`` are the
character sets those rules use to tell a number glued to a word (an ID) from a free
standing one.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ASCII_DIGIT_RE = re.compile(r"(?![0-9])\d|[\u1369-\u137c]")
_ETHIOPIC = {chr(0x1369 + i): str(i % 9 + 1) for i in range(18)} | {"\u137b": "0", "\u137c": "0"}
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _ascii_digit(match: re.Match[str]) -> str:
    if match.group() in _ETHIOPIC:
        return _ETHIOPIC[match.group()]
    try:
        return str(unicodedata.decimal(match.group()))
    except (TypeError, ValueError):  # pragma: no cover - \d is always decimal
        return "0"


def ascii_digits(text: str) -> str:
    """The text with every Unicode decimal digit replaced by its ASCII digit.

    One character for one character, so offsets stay valid.
    """
    if text.isascii():
        return text
    return _NON_ASCII_DIGIT_RE.sub(_ascii_digit, text)
