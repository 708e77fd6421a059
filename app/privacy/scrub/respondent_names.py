"""Find the respondent's own names in text, part by part, in any script.

Each name is split into parts on whitespace (and apostrophes, dashes, dots); particles
such as ``de`` or ``bin`` are never matched alone. Matching is case-, accent- and
script-aware (app.privacy.scrub.text_folding, app.privacy.scrub.script_classes): whole words for
Latin, Cyrillic, Greek...; known clitic prefixes for Arabic (and its attached pronouns) and Hebrew, Amharic and
Tigrinya prefixes and suffixes for Ethiopic, the given name alone of a Chinese or
Korean full name, any suffix for Indic scripts, substrings for scripts without
spaces. ``name_spans`` returns (start, end) offsets into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from .script_classes import is_word_char, script_class
from .text_folding import fold, fold_char


def _combos(first: Iterable[str], second: Iterable[str], third: Iterable[str]) -> frozenset[str]:
    return frozenset(a + b + c for a in first for b in second for c in third) - {""}


# Clitics written together with the next word (folded forms).
_ARABIC_PREFIXES = _combos(("", "و", "ف"), ("", "ب", "ل", "ك", "س"), ("", "ال")) | {
    "لل", "ولل", "فلل",
}
_HEBREW_PREFIXES = frozenset(
    a + b + c for a in "ושהבלמכ" for b in ("",) + tuple("ושהבלמכ") for c in ("",) + tuple("הבלמכ")
)
# Amharic, then Tigrinya (ን "to", ብ "by", ምስ "with", ናብ, ካብ, ናይ, ከም).
_ETHIOPIC_PREFIXES = frozenset(
    {"በ", "ለ", "ከ", "የ", "ስለ", "እንደ", "ወደ", "እስከ", "ያለ", "ና"}
    | {"ን", "ብ", "ምስ", "ናብ", "ካብ", "ናይ", "ከም", "ዝ", "እንተ"}
)
_ETHIOPIC_SUFFIXES = frozenset(
    {"ን", "ም", "ና", "ስ", "ንም", "ው", "ዋ", "ጋ", "ጋር", "ዬ", "ዎች", "ኛ", "ንና", "ናም"}
    | {"ውን", "ዶ", "ከ", "ን'ዶ", "ታት", "ኸ"}
)
# Arabic attached pronouns and endings (folded: ة is ه): فاطمتي, أحمدهم, لزينب...
_ARABIC_SUFFIXES = frozenset(
    {"ي", "ه", "ها", "ك", "كم", "كما", "كن", "نا", "هم", "هما", "هن", "ان", "ين", "ون", "يه"}
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
            folded = _strip_part(fold(raw)[0])
            candidates = [folded] + [_strip_part(p) for p in re.split(r"['\-.]", folded)]
            for cand in candidates:
                if len(cand) < 2 or cand in _PARTICLES or cand in parts:
                    continue
                cls = script_class(cand)
                parts[cand] = cls
                for variant in _variants(cand, cls):
                    parts.setdefault(variant, cls)
    return tuple(parts.items())


def _is_han_or_hangul(part: str) -> bool:
    return all(0x3400 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF for c in part)


def _variants(part: str, cls: str) -> list[str]:
    """Other written forms of a name part: the given name alone of a Chinese or
    Korean full name (王小明 -> 小明, 欧阳娜娜 -> 娜娜); an Arabic name with the
    article after the preposition لـ (الزين -> للزين) or with ة written ت before an
    ending (فاطمة -> فاطمت, as in فاطمتي)."""
    out = []
    if cls == "nospace" and _is_han_or_hangul(part) and len(part) in (3, 4):
        out.append(part[len(part) - 2 :])
    if cls == "arabic":
        if part.startswith("ال") and len(part) > 3:
            out.append("لل" + part[2:])
        if part.endswith("ه") and len(part) > 2:
            out.append(part[:-1] + "ت")
    return out


def name_spans(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    parts = _name_parts(names)
    if not parts or not text:
        return []
    nt, index = fold(text)
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
        while i > stop and is_word_char(nt[i - 1]):
            i -= 1
        return i

    def word_end(i: int, limit: int) -> int:
        stop = min(n, i + limit + 1)
        while i < stop and is_word_char(nt[i]):
            i += 1
        return i

    def left_ok(start: int, cls: str) -> bool:
        if cls == "nospace" or start == 0 or not is_word_char(nt[start - 1]):
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
        if cls in ("nospace", "indic") or end == n or not is_word_char(nt[end]):
            return True
        if cls == "ethiopic":
            return nt[end : word_end(end, _MAX_AFFIX)] in _ETHIOPIC_SUFFIXES
        if cls == "arabic":
            suffix = nt[end : word_end(end, _MAX_AFFIX)]
            # علي + ه is the everyday word عليه ("on him"), not the name: no ه- ending
            # after a final ي.
            return suffix in _ARABIC_SUFFIXES and not (nt[end - 1] == "ي" and suffix[0] == "ه")
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
            while end < len(text) and not fold_char(text[end]):
                end += 1  # trailing combining marks, tatweel, invisible characters
            spans.append((start, end))
    return spans


def clean_names(names: object) -> tuple[str, ...]:
    if names is None:
        return ()
    if isinstance(names, str):
        names = (names,)
    try:
        return tuple(n for n in names if isinstance(n, str) and n.strip())
    except TypeError:
        return ()
