"""Fold text for name matching: case, accents, compatibility forms and spelling variants.

``fold`` returns the folded text and, for each folded character, the index of the
original character it came from, so matches in folded text map back to the original.
Combining marks, format characters and the Arabic tatweel are dropped.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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
def fold_char(ch: str) -> str:
    """Case-, accent- and compatibility-folded form of one character (may be '')."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    s = "".join(
        c for c in s if c not in _DROP_CHARS and unicodedata.category(c) not in _DROP_CATEGORIES
    )
    if not s:
        return s
    return unicodedata.normalize("NFC", s.translate(_FOLD_TABLE))


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of its source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        if folded:
            pieces.append(folded)
            index.extend([i] * len(folded))
    return "".join(pieces), index
