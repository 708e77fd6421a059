"""Which kind of writing system a name part is in, as far as word boundaries go.

``script_class`` sorts a name part into "nospace" (Chinese, Japanese, Korean, Thai, Lao,
Khmer, Myanmar...: no spaces between words), "arabic", "hebrew", "ethiopic", "indic"
or "word" (Latin, Cyrillic, Greek... whole words only); ``is_word_char`` tells whether a
character belongs to a word of a script that separates words with spaces.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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


def script_class(part: str) -> str:
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
def is_word_char(ch: str) -> bool:
    """A letter or mark of a script that separates words with spaces."""
    return unicodedata.category(ch)[0] in "LM" and not _in(ord(ch), _NOSPACE_RANGES)
