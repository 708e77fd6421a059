"""Find e-mail addresses in text (any script in the local part and domain).

The at sign may be the full-width ``＠`` or the small ``﹫``, with spaces around it
(``mary ＠ example.org``), and dots may be full-width (``．``).
"""

from __future__ import annotations

import re

_AT = "[ \t\u00a0\u3000]*[@\uff20\ufe6b][ \t\u00a0\u3000]*"
_DOT = "[.\uff0e\u3002]"
_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[\w%+\-](?:[\w.%+\-]*[\w%+\-])?"
    + _AT
    + r"[^\W_][\w\-]*(?:" + _DOT + r"[\w\-]+)*" + _DOT
    + r"(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]+|[^\W\d_A-Za-z]{2,})"
)


def email_spans(text: str) -> list[tuple[int, int]]:
    if "@" not in text and "\uff20" not in text and "\ufe6b" not in text:
        return []
    return [m.span() for m in _EMAIL_RE.finditer(text)]
