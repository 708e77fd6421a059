"""An action's budget as the council types it: the amount read by
schema.amounts.parse_amount, the currency words it may carry, and the
sentence for each way it can be wrong."""

import functools

from babel.numbers import (
    get_currency_name,
    get_currency_precision,
    get_currency_symbol,
    get_territory_currencies,
    list_currencies,
)
from flask_babel import lazy_gettext as _l

from app.database import get_db
from app.i18n import LOCALES
from app.node import settings
from schema.amounts import AmountError, parse_amount

# Words people write that babel does not list (East African shillings above all).
EXTRA_WORDS = {
    "ksh": "KES", "kshs": "KES", "ksh.": "KES", "tsh": "TZS", "tshs": "TZS", "ush": "UGX",
    "ushs": "UGX", "sh": None, "shs": None, "shilingi": None, "shillings": None, "bob": "KES",
    "dollars": None, "euros": None, "rupees": None, "rs": "INR",
}  # fmt: skip

MESSAGES = {
    "not_a_number": _l("Enter the budget with digits, such as 150,000 or 150000.50."),
    "negative": _l("A budget cannot be negative."),
    "ambiguous": _l(
        "“%(text)s” could mean a thousand times more or less in %(currency)s: "
        "write it without the separator, such as 1500 or 1.5."
    ),
    "grouping": _l(
        "The digit groups look wrong; write it as 150,000 or 150 000, or without separators."
    ),
    "decimals": _l("%(currency)s has at most %(n)s digits after the decimal mark."),
    "too_large": _l("This budget is too large."),
    "unknown_word": _l(
        "“%(word)s” is not a currency we know; give the number only and choose the currency."
    ),
    "other_currency": _l(
        "The budget says %(word)s but the currency chosen is %(currency)s; choose one."
    ),
}


def currency_choices() -> list[str]:
    return sorted(list_currencies())


def default_currency() -> str:
    country = settings.get(get_db(), "country")
    if country:
        found = get_territory_currencies(country)
        if found:
            return found[0]
    return "USD"


@functools.cache
def currency_words() -> dict[str, str | None]:
    """{casefolded word: ISO code, or None when it names several}: ISO codes,
    babel's symbols and names in every interface language, and EXTRA_WORDS."""
    words: dict[str, str | None] = {}

    def put(word: str, code: str | None) -> None:
        key = word.casefold().rstrip(".").strip()
        if key:
            words[key] = code if words.get(key, code) == code else None

    for code in list_currencies():
        put(code, code)
        for loc in LOCALES.values():
            for text in (get_currency_symbol(code, loc.code), get_currency_name(code, locale=loc.code)):
                put(text, code)
            for count in (1, 2):
                put(get_currency_name(code, count, locale=loc.code), code)
    for word, code in EXTRA_WORDS.items():
        put(word, code)
    return words


def read_budget(text: str, currency: str) -> tuple[str | None, str | None]:
    """(the amount as a plain decimal string, None) or (None, the error sentence)."""
    if not text.strip():
        return None, None
    decimals = get_currency_precision(currency) if currency in list_currencies() else 2
    words = currency_words()
    try:
        amount, word = parse_amount(text, decimals=decimals, words=words)
    except AmountError as exc:
        message = MESSAGES.get(exc.code, MESSAGES["not_a_number"])
        return None, str(message % {"text": text, "currency": currency, "n": decimals, "word": exc.word})
    named = words.get(word.casefold().rstrip(".").strip()) if word else None
    if named and currency in list_currencies() and named != currency:
        return None, str(MESSAGES["other_currency"] % {"word": word, "currency": currency})
    return str(amount), None
