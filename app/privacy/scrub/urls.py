"""Find URLs that carry something personal: a path other than ``/``, a query or a fragment.

Bare domains (``example.org``, ``https://example.org/``) are not found. Domains in
any script count, also without a scheme (``موقع.مصر/فاطمة``, ``例子.中国/张伟``). Trailing
punctuation is left out of a URL unless it closes a bracket the URL opened.
"""

from __future__ import annotations

import re

_URL_CHARS = "[^\\s<>\"'`{}|\\\\^\u3000-\u303f\uff00-\uffef]"
_URL_RE = re.compile(
    rf"(?:\b(?:https?|ftp)://|(?<![\w.@\-])www\.){_URL_CHARS}+"
    rf"|(?<![\w.@/\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    rf"(?:[A-Za-z]{{2,24}}|xn--[A-Za-z0-9\-]+)(?::[0-9]{{1,5}})?[/?#]{_URL_CHARS}*"
    rf"|(?<![\w.@/\-])(?:[^\W_](?:[\w\-]*[^\W_])?[.\uff0e\u3002])+"
    rf"[^\W\d_]{{2,24}}(?::[0-9]{{1,5}})?[/?#]{_URL_CHARS}*",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'\"»”’…)]}>"
_URL_PREFIX_RE = re.compile(r"^(?:(?:https?|ftp)://)?[^/?#]*", re.IGNORECASE)


def url_spans(text: str) -> list[tuple[int, int]]:
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
