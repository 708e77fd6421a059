"""Find ID-like numbers: runs of 6+ ASCII digits, with the letters and digits glued to them.

``id_spans`` takes the whole token (``KE1234567``, ``KE-20345678X``, ``12/345678``);
the text's digits must already be ASCII (see app.privacy.scrub.digits). Where an ID overlaps
a phone number the phone wins (app.privacy.scrub.findings).
"""

from __future__ import annotations

import re

from .digits import ASCII_ALNUM

_SIX_DIGITS_RE = re.compile(r"[0-9]{6,}")


def id_spans(dt: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    last_end = -1
    n = len(dt)
    for m in _SIX_DIGITS_RE.finditer(dt):
        start, end = m.span()
        if start < last_end:
            continue
        while True:
            while start > 0 and dt[start - 1] in ASCII_ALNUM:
                start -= 1
            if start > 1 and dt[start - 1] in "-/" and dt[start - 2] in ASCII_ALNUM:
                start -= 1
                continue
            break
        while True:
            while end < n and dt[end] in ASCII_ALNUM:
                end += 1
            if end + 1 < n and dt[end] in "-/" and dt[end + 1] in ASCII_ALNUM:
                end += 1
                continue
            break
        spans.append((start, end))
        last_end = end
    return spans
