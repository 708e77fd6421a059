"""Money amounts as people type them (no Flask, no project imports).

``parse_amount`` reads "150,000 KSh", "KSh 150 000/=", "150.000,50 €",
"١٥٠٬٠٠٠", "1,50,000.00" (Indian grouping) or "150000.50" and returns a
``Decimal`` and the currency word it stripped, or raises ``AmountError`` with
a stable code. The rules, in order:

1. Digits of any script become 0-9 (``unicodedata.decimal``: Arabic-Indic,
   Persian, Devanagari, full-width ...); NFKC first, so full-width commas too.
2. A currency word or symbol may stand before or after the number ("KSh",
   "€", "USD", "shilingi"); so may East Africa's "/=" and South Asia's "/-".
   The caller decides whether the word is a currency (``words``), so that
   "150k" or "1.5 million" are refused, never read as 150 or 1.5.
3. Spaces (any width), apostrophes and the Arabic thousands separator "٬"
   only group digits; "٫" is only a decimal mark.
4. With both "," and "." the last one is the decimal mark. With one of them
   used several times it groups digits ("1.500.000"). Used once, followed by
   one or two digits it is the decimal mark ("150,5", "99.90"); followed by
   exactly three it groups thousands ("150,000" is 150000) — unless the
   currency has three decimal places (Kuwaiti dinar ...), where "1.500" could
   be either: that is refused as ``ambiguous``.
5. Groups must look like groups: after the first (1-3 digits), groups of three,
   or Indian groups of two ending in a group of three.

Codes: ``empty``, ``not_a_number``, ``negative``, ``ambiguous``,
``grouping``, ``decimals`` (more decimal places than the currency has),
``too_large``, ``unknown_word`` (a word the caller did not list).
"""

import re
import unicodedata
from decimal import Decimal

MAX_CHARS = 60
MAX_AMOUNT = Decimal(10) ** 15  # a thousand million million: far above any council budget

GROUP_ONLY = {"'", "\u2019", "\u066c", "_"}
DECIMAL_ONLY = {"\u066b"}
MARKS = {",", "."}
SPACE_MARK = "\x00"
_GROUPING = re.compile(r"[\s'\u2019\u066c_]+")
SUFFIXES = ("/=", "/-", "=/", "=")


class AmountError(ValueError):
    """An amount that cannot be read; ``code`` is stable, ``word`` the currency word."""

    def __init__(self, code: str, word: str = ""):
        super().__init__(code)
        self.code = code
        self.word = word


def _ascii_digits(text: str) -> str:
    out = []
    for ch in text:
        value = unicodedata.decimal(ch, None)
        out.append(str(value) if value is not None and not ch.isascii() else ch)
    return "".join(out)


_NUMBER = re.compile(r"[-+−]?[0-9][0-9\s,.'\u2019\u066b\u066c_]*")


def _split(text: str) -> tuple[str, str, str]:
    """(words before, the number, words after)."""
    match = _NUMBER.search(text)
    if not match:
        raise AmountError("not_a_number")
    number = match.group(0).rstrip(" \t,.'\u2019_\u00a0\u202f")
    # a trailing mark ("150,000." or "150,000,") belongs to the sentence, not the number
    before, after = text[: match.start()], text[match.start() + len(number) :]
    return before.strip(), number, after.strip()


def _word(before: str, after: str) -> str:
    for suffix in SUFFIXES:
        if after.endswith(suffix):
            after = after[: -len(suffix)].strip()
            break
    if before and after:
        raise AmountError("not_a_number")
    return before or after


def _check_groups(groups: list[str]) -> None:
    if not groups[0] or len(groups[0]) > 3 or any(not g.isdigit() for g in groups):
        raise AmountError("grouping")
    rest = groups[1:]
    if not rest:
        return
    if len(rest[-1]) != 3:
        raise AmountError("grouping")
    middle = {len(g) for g in rest[:-1]}
    if middle - {2} and middle - {3}:
        raise AmountError("grouping")
    if middle == {2} and len(groups[0]) > 2:
        raise AmountError("grouping")  # Indian grouping: 1,50,000 / 12,34,567


def _normalize(number: str, decimals: int) -> str:
    """Plain digits with at most one "." for Decimal()."""
    # spaces, apostrophes and "٬" only group digits: one mark for them, checked like the others
    number = _GROUPING.sub(SPACE_MARK, number)
    if any(ch in DECIMAL_ONLY for ch in number):
        whole, _, fraction = number.replace("\u066b", "|").partition("|")
        if "|" in fraction or any(ch in MARKS for ch in fraction):
            raise AmountError("not_a_number")
        return _join(whole, fraction, group_marks=MARKS)
    present = [ch for ch in MARKS if ch in number]
    if len(present) == 2:
        decimal_mark = max(present, key=number.rindex)
        group_mark = ({",", "."} - {decimal_mark}).pop()
        whole, _, fraction = number.rpartition(decimal_mark)
        if decimal_mark in whole or group_mark in fraction:
            raise AmountError("grouping")
        return _join(whole, fraction, group_marks={group_mark})
    if not present:
        return _join(number, "", group_marks=set())
    mark = present[0]
    if number.count(mark) > 1:
        return _join(number, "", group_marks={mark})
    whole, _, fraction = number.partition(mark)
    if len(fraction) == 3:
        if decimals == 3:
            raise AmountError("ambiguous")
        return _join(number, "", group_marks={mark})
    return _join(whole, fraction, group_marks=set())


def _join(whole: str, fraction: str, *, group_marks: set) -> str:
    groups = [whole]
    for mark in {*group_marks, SPACE_MARK}:
        groups = [part for g in groups for part in g.split(mark)]
    if len(groups) > 1:
        _check_groups(groups)
    elif not whole.isdigit():
        raise AmountError("not_a_number")
    if fraction and not fraction.isdigit():
        raise AmountError("not_a_number")
    return "".join(groups) + ("." + fraction if fraction else "")


def parse_amount(text: str, *, decimals: int = 2, words=None) -> tuple[Decimal, str]:
    """(amount, currency word) of TEXT; see the module docstring.

    DECIMALS is the currency's number of decimal places; WORDS, when given, the
    casefolded currency words and symbols accepted before or after the number."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        raise AmountError("empty")
    if len(text) > MAX_CHARS:
        raise AmountError("too_large")
    text = _ascii_digits(text)
    before, number, after = _split(text)
    word = _word(before, after)
    if any(ch.isdigit() for ch in word):
        raise AmountError("not_a_number")
    if number[0] in "-−" or before.endswith(("-", "−")):
        raise AmountError("negative", word)
    number = number.lstrip("+")
    if word and words is not None and word.casefold().rstrip(".") not in words:
        if not all(unicodedata.category(ch) == "Sc" for ch in word.replace(" ", "")):
            raise AmountError("unknown_word", word)
    plain = _normalize(number, decimals)
    whole, _, fraction = plain.partition(".")
    if len(fraction) > max(decimals, 0):
        raise AmountError("decimals", word)
    if len(whole.lstrip("0")) > 15:
        raise AmountError("too_large", word)
    amount = Decimal(plain)
    if amount >= MAX_AMOUNT:
        raise AmountError("too_large", word)
    return amount, word
