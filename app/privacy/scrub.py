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
             script-aware

Rules apply in that order; an earlier rule wins where findings overlap (the part of a
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
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

__all__ = ["PLACEHOLDERS", "Finding", "find_personal_data", "scrub"]

PLACEHOLDERS = ("[phone]", "[email]", "[id]", "[url]", "[name]")

_PLACEHOLDER = {p[1:-1]: p for p in PLACEHOLDERS}
_ORDER = ("email", "url", "phone", "id", "name")  # earlier wins overlaps


@dataclass(frozen=True)
class Finding:
    kind: str  # "phone" | "email" | "id" | "url" | "name"
    start: int  # offsets into the ORIGINAL text
    end: int


# --------------------------------------------------------------------------- regions

# Tried after the node's own country. Phone numbers in international format ("+...")
# do not depend on the region; these matter for national formats.
OTHER_REGIONS = (
    # East Africa and the Horn
    "KE", "UG", "TZ", "RW", "BI", "ET", "SO", "SS", "SD", "ER", "DJ",
    # Central and Southern Africa
    "CD", "CM", "MW", "ZM", "ZW", "MZ", "ZA",
    # West Africa
    "NG", "GH", "SN", "CI", "ML", "BF", "NE", "GN", "SL", "LR", "TD",
    # North Africa
    "EG", "MA", "DZ", "TN", "LY", "MR",
    # Middle East
    "SA", "AE", "JO", "LB", "SY", "IQ", "YE", "PS", "TR", "IR",
    # South Asia
    "IN", "PK", "BD", "NP", "LK", "AF",
    # East and South-East Asia
    "CN", "ID", "PH", "TH", "MM",
    # Latin America and the Caribbean
    "BR", "MX", "CO", "PE", "AR", "CL", "VE", "EC", "BO", "GT", "HT",
    # Europe
    "GB", "FR", "DE", "ES", "IT", "PT", "NL", "BE",
    # North America
    "US",
)

_REGION_ALIASES = {"UK": "GB", "EL": "GR"}

# Per region: the lowest and highest digit count a nationally written number can have
# (national significant number lengths, plus room for a national/carrier prefix).
_REGION_LENGTHS: dict[str, tuple[int, int]] = {}


def _region_lengths(region: str) -> tuple[int, int] | None:
    if region in _REGION_LENGTHS:
        return _REGION_LENGTHS[region]
    try:
        md = phonenumbers.PhoneMetadata.metadata_for_region(region)
        desc = md.general_desc
        lengths = [n for n in (desc.possible_length or ()) if n > 0]
        lengths += [n for n in (desc.possible_length_local_only or ()) if n > 0]
        result = (min(lengths), max(lengths) + 4) if lengths else (1, 20)
    except Exception:  # pragma: no cover - unknown or broken metadata
        result = None
    if result is not None:
        _REGION_LENGTHS[region] = result
    return result


for _r in OTHER_REGIONS:  # load metadata once, at import
    _region_lengths(_r)
del _r


def _normalize_country(country: object) -> str | None:
    if not isinstance(country, str):
        return None
    code = country.strip().upper()
    code = _REGION_ALIASES.get(code, code)
    if code in phonenumbers.SUPPORTED_REGIONS and _region_lengths(code) is not None:
        return code
    return None


# ------------------------------------------------------------------------- patterns

# Separators allowed between the digits of a phone number: horizontal spaces,
# invisible format characters (bidi marks, zero-width spaces), dots, dashes, brackets.
_SEP = (
    "[ \t\u00a0\u1680\u2000-\u200f\u202f\u205f\u3000\u2060\ufeff\u061c\u00ad"
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
_SIX_DIGITS_RE = re.compile(r"[0-9]{6,}")
_NON_ASCII_DIGIT_RE = re.compile(r"(?![0-9])\d")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[\w%+\-](?:[\w.%+\-]*[\w%+\-])?"
    r"@[^\W_][\w\-]*(?:\.[\w\-]+)*\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]+|[^\W\d_A-Za-z]{2,})"
)

_URL_CHARS = "[^\\s<>\"'`{}|\\\\^\u3000-\u303f\uff00-\uffef]"
_URL_RE = re.compile(
    rf"(?:\b(?:https?|ftp)://|(?<![\w.@\-])www\.){_URL_CHARS}+"
    rf"|(?<![\w.@/\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    rf"(?:[A-Za-z]{{2,24}}|xn--[A-Za-z0-9\-]+)(?::[0-9]{{1,5}})?[/?#]{_URL_CHARS}*",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'\"»”’…)]}>"
_URL_PREFIX_RE = re.compile(r"^(?:(?:https?|ftp)://)?[^/?#]*", re.IGNORECASE)

# Budget: how many digit stretches per text get the full multi-region scan. Beyond it,
# only the node's country (the generic fallback still catches every 7+ digit run).
_FULL_SCAN_CLUSTERS = 64
# ... and at most this many calls into phonenumbers per text (~30-80 us each).
_PHONE_CALL_BUDGET = 400


# ------------------------------------------------------------------ digit handling


def _ascii_digit(match: re.Match[str]) -> str:
    try:
        return str(unicodedata.decimal(match.group()))
    except (TypeError, ValueError):  # pragma: no cover - \d is always decimal
        return "0"


def _ascii_digits(text: str) -> str:
    """The text with every Unicode decimal digit replaced by its ASCII digit.

    One character for one character, so offsets stay valid.
    """
    if text.isascii():
        return text
    return _NON_ASCII_DIGIT_RE.sub(_ascii_digit, text)


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
        glued = (start > 0 and dt[start - 1] in _ASCII_LETTERS) or (
            end < len(dt) and dt[end] in _ASCII_LETTERS
        )
        if glued and m.group().isdigit():
            continue  # "A1234567", "KE-20345678X": an ID, taken whole by the ID rule
        spans.append(_balance(dt, start, end))
    return spans


def _phone_spans(dt: str, country: str | None) -> list[tuple[int, int]]:
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
        if (start > 0 and dt[start - 1] in _ASCII_LETTERS) or (
            end < len(dt) and dt[end] in _ASCII_LETTERS
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
            lengths = _REGION_LENGTHS.get(region)
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


def _id_spans(dt: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    last_end = -1
    n = len(dt)
    for m in _SIX_DIGITS_RE.finditer(dt):
        start, end = m.span()
        if start < last_end:
            continue
        while True:
            while start > 0 and dt[start - 1] in _ASCII_ALNUM:
                start -= 1
            if start > 1 and dt[start - 1] in "-/" and dt[start - 2] in _ASCII_ALNUM:
                start -= 1
                continue
            break
        while True:
            while end < n and dt[end] in _ASCII_ALNUM:
                end += 1
            if end + 1 < n and dt[end] in "-/" and dt[end + 1] in _ASCII_ALNUM:
                end += 1
                continue
            break
        spans.append((start, end))
        last_end = end
    return spans


# ------------------------------------------------------------------ e-mail and URL


def _email_spans(text: str) -> list[tuple[int, int]]:
    if "@" not in text:
        return []
    return [m.span() for m in _EMAIL_RE.finditer(text)]


def _url_spans(text: str) -> list[tuple[int, int]]:
    if "." not in text:
        return []
    spans = []
    for m in _URL_RE.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in _URL_TRAILING:
            closer = text[end - 1]
            opener = {")": "(", "]": "[", "}": "{", ">": "<"}.get(closer)
            if opener and text.count(opener, start, end) >= text.count(closer, start, end):
                break  # balanced bracket belongs to the URL
            end -= 1
        url = text[start:end]
        head = _URL_PREFIX_RE.match(url)
        rest = url[head.end():] if head else url
        if "@" in (head.group() if head else "") or rest.strip("/"):
            spans.append((start, end))
    return spans


# --------------------------------------------------------------------------- names

_DROP_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
_DROP_CHARS = frozenset("\u0640")  # Arabic tatweel
_FOLD_TABLE = str.maketrans(
    {
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t",
        "æ": "ae", "œ": "oe", "þ": "th",
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "ʻ": "'",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
        # Arabic-script spelling variants
        "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ھ": "ه", "ہ": "ه",
    }
)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Case-, accent- and compatibility-folded form of one character (may be '')."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    s = "".join(
        c for c in s if c not in _DROP_CHARS and unicodedata.category(c) not in _DROP_CATEGORIES
    )
    if not s:
        return s
    return unicodedata.normalize("NFC", s.translate(_FOLD_TABLE))


def _fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of its source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded:
            pieces.append(folded)
            index.extend([i] * len(folded))
    return "".join(pieces), index


_NOSPACE_RANGES = (
    (0x0E00, 0x0FFF),  # Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF), (0x1980, 0x19FF), (0x1A20, 0x1AAF),  # Khmer, New Tai Lue, Tai Tham
    (0x1B00, 0x1B7F),  # Balinese
    (0x2E80, 0x2FDF), (0x3040, 0x318F), (0x31A0, 0x31FF),  # CJK radicals, kana, Bopomofo
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF),  # CJK, Yi
    (0xA980, 0xA9FF), (0xAA60, 0xAA7F),  # Javanese, Myanmar ext.
    (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF65, 0xFFDC),  # Hangul, CJK compat, half-width
    (0x20000, 0x3FFFF),  # CJK extensions
)
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFEFF))
_HEBREW_RANGES = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))
_INDIC_RANGES = ((0x0900, 0x0DFF),)  # Devanagari .. Sinhala


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= cp <= b for a, b in ranges)


def _script_class(part: str) -> str:
    for ch in part:
        if unicodedata.category(ch)[0] != "L":
            continue
        cp = ord(ch)
        if _in(cp, _NOSPACE_RANGES):
            return "nospace"
        if _in(cp, _ARABIC_RANGES):
            return "arabic"
        if _in(cp, _HEBREW_RANGES):
            return "hebrew"
        if _in(cp, _ETHIOPIC_RANGES):
            return "ethiopic"
        if _in(cp, _INDIC_RANGES):
            return "indic"
        return "word"
    return "word"


@lru_cache(maxsize=65536)
def _is_word_char(ch: str) -> bool:
    """A letter or mark of a script that separates words with spaces."""
    return unicodedata.category(ch)[0] in "LM" and not _in(ord(ch), _NOSPACE_RANGES)


def _combos(first: Iterable[str], second: Iterable[str], third: Iterable[str]) -> frozenset[str]:
    return frozenset(a + b + c for a in first for b in second for c in third) - {""}


# Clitics written together with the next word (folded forms).
_ARABIC_PREFIXES = _combos(("", "و", "ف"), ("", "ب", "ل", "ك", "س"), ("", "ال")) | {
    "لل", "ولل", "فلل",
}
_HEBREW_PREFIXES = frozenset(
    a + b + c for a in "ושהבלמכ" for b in ("",) + tuple("ושהבלמכ") for c in ("",) + tuple("הבלמכ")
)
_ETHIOPIC_PREFIXES = frozenset({"በ", "ለ", "ከ", "የ", "ስለ", "እንደ", "ወደ", "እስከ", "ያለ", "ና"})
_ETHIOPIC_SUFFIXES = frozenset(
    {"ን", "ም", "ና", "ስ", "ንም", "ው", "ዋ", "ጋ", "ጋር", "ዬ", "ዎች", "ኛ"}
)

_MAX_AFFIX = 4  # longest prefix or suffix above, in characters

# Name particles that identify nobody on their own; never matched alone (folded forms).
_PARTICLES = frozenset(
    {
        "de", "da", "do", "dos", "das", "di", "du", "des", "del", "della", "la", "le",
        "van", "von", "der", "den", "ten", "ter", "bin", "binti", "ibn", "bint", "al",
        "el", "y", "e", "mc", "st", "ben", "ould",
        "بن", "بنت", "ابن", "ال", "الله", "ابو", "بو",
    }
)


def _strip_part(part: str) -> str:
    i, j = 0, len(part)
    while i < j and unicodedata.category(part[i])[0] not in "LMN":
        i += 1
    while j > i and unicodedata.category(part[j - 1])[0] not in "LMN":
        j -= 1
    return part[i:j]


@lru_cache(maxsize=1024)
def _name_parts(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(folded part, script class) for every usable part of every name."""
    parts: dict[str, str] = {}
    for name in names:
        for raw in name.split():
            folded = _strip_part(_fold(raw)[0])
            candidates = [folded] + [_strip_part(p) for p in re.split(r"['\-.]", folded)]
            for cand in candidates:
                if len(cand) < 2 or cand in _PARTICLES or cand in parts:
                    continue
                parts[cand] = _script_class(cand)
    return tuple(parts.items())


def _name_spans(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    parts = _name_parts(names)
    if not parts or not text:
        return []
    nt, index = _fold(text)
    n = len(nt)

    # Every occurrence of every part: (start, end, script class), folded offsets.
    occurrences: list[tuple[int, int, str]] = []
    for part, cls in parts:
        i = nt.find(part)
        while i != -1:
            occurrences.append((i, i + len(part), cls))
            i = nt.find(part, i + 1)
    if not occurrences:
        return []

    def word_start(i: int, limit: int) -> int:
        """Start of the word around i, or i - limit - 1 if it is further back."""
        stop = max(0, i - limit - 1)
        while i > stop and _is_word_char(nt[i - 1]):
            i -= 1
        return i

    def word_end(i: int, limit: int) -> int:
        stop = min(n, i + limit + 1)
        while i < stop and _is_word_char(nt[i]):
            i += 1
        return i

    def left_ok(start: int, cls: str) -> bool:
        if cls == "nospace" or start == 0 or not _is_word_char(nt[start - 1]):
            return True
        if cls not in ("arabic", "hebrew", "ethiopic"):
            return False
        prefix = nt[word_start(start, _MAX_AFFIX) : start]
        if cls == "arabic":
            return prefix in _ARABIC_PREFIXES
        if cls == "hebrew":
            return prefix in _HEBREW_PREFIXES
        if cls == "ethiopic":
            return prefix in _ETHIOPIC_PREFIXES
        return False

    def right_ok(end: int, cls: str) -> bool:
        if cls in ("nospace", "indic") or end == n or not _is_word_char(nt[end]):
            return True
        if cls == "ethiopic":
            return nt[end : word_end(end, _MAX_AFFIX)] in _ETHIOPIC_SUFFIXES
        return False

    # A part glued to other parts ("MaryAchieng") counts when the chain of parts is
    # itself a whole word.
    by_end: dict[int, list[int]] = {}
    by_start: dict[int, list[int]] = {}
    for k, (s, e, _) in enumerate(occurrences):
        by_end.setdefault(e, []).append(k)
        by_start.setdefault(s, []).append(k)
    order = sorted(range(len(occurrences)), key=lambda k: occurrences[k][0])
    lefts = [False] * len(occurrences)
    for k in order:
        s, _, cls = occurrences[k]
        lefts[k] = left_ok(s, cls) or any(lefts[p] for p in by_end.get(s, ()))
    rights = [False] * len(occurrences)
    for k in reversed(sorted(range(len(occurrences)), key=lambda k: occurrences[k][1])):
        _, e, cls = occurrences[k]
        rights[k] = right_ok(e, cls) or any(rights[q] for q in by_start.get(e, ()))

    spans = []
    for k, (s, e, _) in enumerate(occurrences):
        if lefts[k] and rights[k]:
            start, end = index[s], index[e - 1] + 1
            while end < len(text) and not _fold_char(text[end]):
                end += 1  # trailing combining marks, tatweel, invisible characters
            spans.append((start, end))
    return spans


# ----------------------------------------------------------------------- resolution


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _qualifies(kind: str, piece: str) -> bool:
    if kind in ("phone", "id"):
        return any(c.isdecimal() for c in piece)
    return any(c.isalnum() for c in piece)


def _resolve(text: str, candidates: dict[str, list[tuple[int, int]]]) -> list[Finding]:
    starts: list[int] = []
    ends: list[int] = []
    findings: list[Finding] = []
    for kind in _ORDER:
        for s, e in _union(candidates.get(kind, ())):
            # The parts of [s, e) not yet claimed by an earlier finding.
            pieces = []
            pos = s
            i = max(bisect_right(starts, s) - 1, 0)
            while i < len(starts) and starts[i] < e:
                if ends[i] > pos:
                    if starts[i] > pos:
                        pieces.append((pos, starts[i]))
                    pos = ends[i]
                i += 1
            if pos < e:
                pieces.append((pos, e))
            trimmed = pieces != [(s, e)]
            for ps, pe in pieces:
                if trimmed:
                    while ps < pe and text[ps].isspace():
                        ps += 1
                    while pe > ps and text[pe - 1].isspace():
                        pe -= 1
                    if not _qualifies(kind, text[ps:pe]):
                        continue
                j = bisect_left(starts, ps)
                starts.insert(j, ps)
                ends.insert(j, pe)
                findings.append(Finding(kind, ps, pe))
    findings.sort(key=lambda f: f.start)
    # Adjacent name parts collapse into one [name].
    collapsed: list[Finding] = []
    for f in findings:
        prev = collapsed[-1] if collapsed else None
        if (
            prev is not None
            and prev.kind == f.kind == "name"
            and all(c.isspace() or c in "-'’" for c in text[prev.end : f.start])
        ):
            collapsed[-1] = Finding("name", prev.start, f.end)
        else:
            collapsed.append(f)
    return collapsed


def _clean_names(names: object) -> tuple[str, ...]:
    if names is None:
        return ()
    if isinstance(names, str):
        names = (names,)
    try:
        return tuple(n for n in names if isinstance(n, str) and n.strip())
    except TypeError:
        return ()


def _find(text: str, country: object, names: object) -> list[Finding]:
    code = _normalize_country(country)
    dt = _ascii_digits(text)
    candidates = {
        "email": _email_spans(text),
        "url": _url_spans(text),
        "phone": _phone_spans(dt, code),
        "id": _id_spans(dt),
        "name": _name_spans(text, _clean_names(names)),
    }
    return _resolve(text, candidates)


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
    text: str, *, country: str | None = None, names: Iterable[str] = ()
) -> list[Finding]:
    """Non-overlapping findings sorted by start.

    ``country`` is the node's ISO 3166 alpha-2 code (tried first for phone numbers);
    ``names`` are the respondent's names, each split into parts on whitespace.
    """
    text = _as_text(text)
    if not text:
        return []
    try:
        return _find(text, country, names)
    except Exception:  # never fail open, never raise
        return _emergency(text)


def scrub(text: str, *, country: str | None = None, names: Iterable[str] = ()) -> str:
    """The text with every finding replaced by its placeholder, e.g. "[phone]"."""
    text = _as_text(text)
    if not text:
        return text
    out: list[str] = []
    pos = 0
    for f in find_personal_data(text, country=country, names=names):
        out.append(text[pos : f.start])
        out.append(_PLACEHOLDER[f.kind])
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
