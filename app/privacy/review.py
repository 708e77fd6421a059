"""What the person checking a text for sharing should look at twice: the words the
scrubber left that may still be names (of officials, neighbours, other people, whom
no rule can know).

``suspect_spans(text)`` finds, in a text that was already scrubbed:

* every capitalised word (its first letter upper- or title-case: ``Peter``, ``Ōtieno``,
  ``Дмитро``; all-capital words of 2+ letters too), placeholders excepted;
* in any script, the word after a title or kinship word that usually precedes a name
  (``Mr``, ``Bi``, ``Mzee``, ``Mama``, ``السيد``, ``الحاج``, ``أبو``, ``አቶ``, ``ወይዘሮ``,
  ``ኣቶ``, ``श्री``, ``Sr.``...), and a Chinese, Japanese or Korean word before a title
  (``王先生``, ``李老师``, ``김씨``).

It over-marks on purpose (every sentence start is capitalised): a marked word is one
to read, not one to remove. Offsets refer to the given text."""

from __future__ import annotations

import re
import unicodedata

from .scrub import PLACEHOLDERS

_TITLES_BEFORE = frozenset(
    """mr mrs ms miss dr prof sir madam mister mama baba mzee bi bw bwana dada kaka shangazi
    mjomba chifu chief hon pastor father sister brother sr sra srta dom dona don doña señor
    señora monsieur madame mme mlle m herr frau alhaji alhaja mallam malam hajia
    ato w/ro w/t wro""".split()
) | frozenset(
    ["السيد", "السيدة", "الحاج", "الحاجة", "الشيخ", "أبو", "ابو", "أم", "ام", "الأستاذ",
     "الدكتور", "أخي", "أختي", "عمي", "خالتي", "آقای", "خانم",
     "አቶ", "ወይዘሮ", "ወ/ሮ", "ወ/ት", "ዶ/ር", "ኣቶ", "ወይዘሪት", "ሓው",
     "श्री", "श्रीमती", "कुमारी", "डॉ", "जी", "भाई", "बहन",
     "господин", "госпожа", "пан", "пані", "bay", "bayan"]
)  # fmt: skip
_TITLES_AFTER_CJK = ("先生", "女士", "小姐", "老师", "老師", "师傅", "師傅", "阿姨", "大爷",
                     "さん", "様", "さま", "くん", "ちゃん", "씨", "님", "선생님")  # fmt: skip
_WORD = re.compile(r"[\w/'’\-]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{1,2}$")


def _capitalised(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    first = unicodedata.category(letters[0])
    return first in ("Lu", "Lt")


def _bare(word: str) -> str:
    return word.strip("'’-/.").casefold()


def suspect_spans(text: str) -> list[tuple[int, int]]:
    if not text:
        return []
    placeholders = [(m.start(), m.end()) for p in PLACEHOLDERS for m in re.finditer(re.escape(p), text)]

    def in_placeholder(s: int) -> bool:
        return any(a <= s < b for a, b in placeholders)

    spans: list[tuple[int, int]] = []
    words = [m for m in _WORD.finditer(text) if not in_placeholder(m.start())]
    previous = None
    for m in words:
        word = m.group()
        if _capitalised(word):
            spans.append(m.span())
        elif previous is not None and _bare(previous.group()) in _TITLES_BEFORE:
            between = text[previous.end() : m.start()]
            if len(between) <= 3 and "\n" not in between:
                spans.append(m.span())
        previous = m
    for title in _TITLES_AFTER_CJK:
        for m in re.finditer(re.escape(title), text):
            before = _CJK.search(text, max(0, m.start() - 3), m.start())
            if before and before.group() != title:
                spans.append((before.start(), m.start()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def pieces(shared: str) -> list[dict]:
    """SHARED (a scrubbed text) cut for the review screen: [{"text", "placeholder",
    "suspect"}], placeholders and words that may be names each their own piece."""
    marks = [(m.start(), m.end(), "placeholder")
             for p in PLACEHOLDERS for m in re.finditer(re.escape(p), shared)]  # fmt: skip
    marks += [(s, e, "suspect") for s, e in suspect_spans(shared)]
    out: list[dict] = []
    pos = 0
    for s, e, kind in sorted(marks):
        if s < pos:
            continue
        if s > pos:
            out.append({"text": shared[pos:s], "placeholder": False, "suspect": False})
        out.append({"text": shared[s:e], "placeholder": kind == "placeholder",
                    "suspect": kind == "suspect"})  # fmt: skip
        pos = e
    if pos < len(shared):
        out.append({"text": shared[pos:], "placeholder": False, "suspect": False})
    return out
