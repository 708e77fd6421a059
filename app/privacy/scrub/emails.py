"""Find e-mail addresses in text (any script in the local part and domain)."""

from __future__ import annotations

import re

_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[\w%+\-](?:[\w.%+\-]*[\w%+\-])?"
    r"@[^\W_][\w\-]*(?:\.[\w\-]+)*\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]+|[^\W\d_A-Za-z]{2,})"
)


def email_spans(text: str) -> list[tuple[int, int]]:
    if "@" not in text:
        return []
    return [m.span() for m in _EMAIL_RE.finditer(text)]
