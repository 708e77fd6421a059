"""Direction-dependent symbols for pages in right-to-left languages.

    {{ old }} {{ arrow() }} {{ new }}     "1 → 7" in English, "1 ← 7" read right to left
    {{ _('+1 counted for %(ref)s.', ref=r)|ltr_plus }}   "+1" never turns into "1+"

A change "from 1 to 7" must read from 1 to 7 in both directions: in a right-to-left
line the first value stands on the right, so the arrow points left. Signed numbers
("+1", "-3") are isolated left to right so that the sign stays in front.
"""

import re

from markupsafe import Markup, escape

from . import current

_SIGNED = re.compile(r"(?<![\w+\-−])([+\-−]\d+)")


def arrow() -> str:
    """The arrow from an old value to a new one, for the page's direction."""
    return "←" if current().dir == "rtl" else "→"


def ltr_plus(text) -> Markup:
    """TEXT (escaped) with each signed number such as "+1" isolated left to right
    on a right-to-left page."""
    if current().dir != "rtl":
        return escape(text)
    return Markup(_SIGNED.sub(r'<bdi dir="ltr">\1</bdi>', str(escape(text))))


_NUMBERS = re.compile(r"[+\-−]?\d+(?:\s*[–\-−]\s*\d+)?\+?")


def ltr_numbers(text) -> str:
    """TEXT with number runs such as "0–14", "65+" or "+1" isolated left to right
    (Unicode isolates, so it works inside <option> too) on a right-to-left page:
    an age band "0–14" never reads "14–0"."""
    text = str(text)
    if current().dir != "rtl":
        return text
    return _NUMBERS.sub(lambda m: f"\u2066{m.group(0)}\u2069", text)
