"""Find phone numbers in text whose digits are already ASCII (see app.privacy.scrub.digits).

Two rules, both kept by the scrubber as ``[phone]``: a generic fallback (any run of 7+
digits, possibly separated by spaces, dots, dashes or brackets) and ``phonenumbers``,
asked about the digit stretches the fallback did not cover (the node's country first,
then the regions in app.privacy.scrub.phone_regions). ``phone_spans`` returns (start, end)
offsets; a bracket next to a number is taken in when the number has only one of the pair.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from .digits import ASCII_LETTERS
from .phone_regions import OTHER_REGIONS, REGION_LENGTHS

# Separators allowed between the digits of a phone number: spaces and line breaks,
# invisible format characters (bidi marks, zero-width spaces), dots, dashes, underscores,
# brackets, the Arabic thousands and decimal separators.
_SEP = (
    "[ \t\r\n\u2028\u2029\u00a0_\u066b\u066c\u1680\u2000-\u200f\u202f\u205f\u3000\u2060\ufeff\u061c\u00ad"
    "\u202a-\u202e\u2066-\u2069"
    ".\u00b7\u2024\u30fb\uff0e"
    "\\-\u2010-\u2015\u2212\ufe63\uff0d"
    "()\\[\\]\uff08\uff09]"
)
_OPENERS = "([\uff08"
_CLOSERS = ")]\uff09"

# Generic fallback, on text whose digits are ASCII: 7+ digits, possibly separated.
# An unseparated run glued to ASCII letters ("A1234567") is left to the ID rule, which
# takes the whole token (see _fallback_spans).
_FALLBACK_RE = re.compile(rf"(?<![0-9])\+?(?:[0-9]{_SEP}{{0,3}}){{6,}}[0-9](?![0-9])")
# Candidate stretches for phonenumbers: digits with separators (and "/").
_CLUSTER_RE = re.compile(rf"(?:\+|[(\[\uff08]\+?)?[0-9](?:(?:{_SEP}|/){{0,3}}[0-9])*")

# Budget: how many digit stretches per text get the full multi-region scan. Beyond it,
# only the node's country (the generic fallback still catches every 7+ digit run).
_FULL_SCAN_CLUSTERS = 64
# ... and at most this many calls into phonenumbers per text (~30-80 us each).
_PHONE_CALL_BUDGET = 400


def _balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in an opening/closing bracket next to a span that has only one of them."""
    segment = text[start:end]
    opens = sum(segment.count(c) for c in _OPENERS)
    closes = sum(segment.count(c) for c in _CLOSERS)
    if closes > opens:
        j = start - 1
        while j >= 0 and start - j <= 2 and text[j] in " \u00a0":
            j -= 1
        if j >= 0 and text[j] in _OPENERS:
            start = j
    elif opens > closes:
        j = end
        while j < len(text) and j - end < 2 and text[j] in " \u00a0":
            j += 1
        if j < len(text) and text[j] in _CLOSERS:
            end = j + 1
    return start, end


@lru_cache(maxsize=8192)
def _matches_in(window: str, region: str) -> tuple[tuple[int, int], ...]:
    try:
        return tuple(
            (m.start, m.end)
            for m in PhoneNumberMatcher(window, region, leniency=Leniency.VALID)
        )
    except Exception:  # the library must never make scrubbing fail
        return ()


@lru_cache(maxsize=8192)
def _valid_in(number: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except Exception:
        return False


def _fallback_spans(dt: str) -> list[tuple[int, int]]:
    spans = []
    for m in _FALLBACK_RE.finditer(dt):
        start, end = m.span()
        glued = (start > 0 and dt[start - 1] in ASCII_LETTERS) or (
            end < len(dt) and dt[end] in ASCII_LETTERS
        )
        if glued and m.group().isdigit():
            continue  # "A1234567", "KE-20345678X": an ID, taken whole by the ID rule
        spans.append(_balance(dt, start, end))
    return spans


def phone_spans(dt: str, country: str | None) -> list[tuple[int, int]]:
    """Phone numbers in ``dt`` (the text with ASCII digits).

    The generic fallback runs first because it is cheap; ``phonenumbers`` is then asked
    about every digit stretch the fallback did not fully cover (5-6 digit numbers,
    numbers glued to letters or split by unusual separators): the node's country first
    (numbers of 5+ digits), then the other regions (numbers of 7+ digits; shorter
    foreign numbers are indistinguishable from IDs and amounts). Where the fallback
    already covers every digit, the regions could not change the result.
    """
    spans = _fallback_spans(dt)
    if not spans and not _CLUSTER_RE.search(dt):
        return spans
    fallback_digits: set[int] = set()
    for a, b in spans:
        fallback_digits.update(range(a, b))
    others = tuple(r for r in OTHER_REGIONS if r != country)
    full_scans = 0
    budget = _PHONE_CALL_BUDGET
    for m in _CLUSTER_RE.finditer(dt):
        start, end = m.span()
        digits = [i for i in range(start, end) if dt[i] in "0123456789"]
        count = len(digits)
        if count < 5 or count > 17 or fallback_digits.issuperset(digits):
            continue
        if (start > 0 and dt[start - 1] in ASCII_LETTERS) or (
            end < len(dt) and dt[end] in ASCII_LETTERS
        ):
            continue  # glued to a word: phonenumbers rejects it; the ID rule takes it
        if budget <= 0:
            break
        segment = dt[start:end]
        w0, w1 = max(0, start - 2), min(len(dt), end + 2)
        window = dt[w0:w1]
        covered: set[int] = set()

        def run(region: str) -> None:
            nonlocal budget
            budget -= 1
            for a, b in _matches_in(window, region):
                a, b = _balance(dt, w0 + a, w0 + b)
                spans.append((a, b))
                covered.update(range(a, b))

        def plausible(region: str) -> bool:
            lengths = REGION_LENGTHS.get(region)
            return lengths is not None and lengths[0] <= count <= lengths[1]

        if segment.lstrip("([\uff08").startswith("+"):
            run(country or others[0])  # "+..." does not depend on the region
            continue
        if country is not None and plausible(country):
            run(country)
        if count < 7 or full_scans >= _FULL_SCAN_CLUSTERS:
            continue
        full_scans += 1
        for region in others:
            if covered.issuperset(digits):
                break
            if budget <= 0:
                break
            if plausible(region):
                budget -= 1
                if _valid_in(segment, region):
                    run(region)
    return spans
