"""Digits in any script, for the scrubber's number rules (app.privacy.scrub).

``ascii_digits`` turns every Unicode decimal digit (Arabic-Indic ``٠١٢``, Devanagari
``०१२``, full-width ``０１２``...) into its ASCII digit, one character for one
character, so the phone and ID rules can work on ASCII digits while their offsets
still point into the original text. ``ASCII_LETTERS`` and ``ASCII_ALNUM`` are the
character sets those rules use to tell a number glued to a word (an ID) from a free
standing one.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ASCII_DIGIT_RE = re.compile(r"(?![0-9])\d")
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _ascii_digit(match: re.Match[str]) -> str:
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
