"""Budgets as people write them (schema.amounts.parse_amount and the council's
read_budget): separators, currency words, any digits; clear refusals."""

from decimal import Decimal

import pytest

from app.council.budget import currency_words, read_budget
from schema.amounts import AmountError, parse_amount


@pytest.mark.parametrize(
    ("text", "amount", "word"),
    [
        ("150000", "150000", ""),
        ("150,000 KSh", "150000", "KSh"),
        ("KSh 150,000/=", "150000", "KSh"),
        ("Tsh. 2,500,000/=", "2500000", "Tsh."),
        ("150 000", "150000", ""),
        ("150\u202f000,50", "150000.50", ""),  # narrow no-break space (French)
        ("150.000,50 €", "150000.50", "€"),
        ("1.500.000", "1500000", ""),
        ("1,500,000.75", "1500000.75", ""),
        ("1'500'000.75", "1500000.75", ""),  # Swiss
        ("1,50,000.00", "150000.00", ""),  # Indian grouping
        ("12,34,567", "1234567", ""),
        ("١٥٠٬٠٠٠", "150000", ""),  # Arabic-Indic digits, Arabic thousands separator
        ("١٥٠٬٠٠٠٫٥٠ ر.س", "150000.50", "ر.س"),
        ("۱۵۰۰۰۰", "150000", ""),  # Persian digits
        ("१,५०,०००", "150000", ""),  # Devanagari
        ("１５０，０００", "150000", ""),  # full width
        ("150,5", "150.5", ""),
        ("99.90 USD", "99.90", "USD"),
        ("$ 20", "20", "$"),
        ("0", "0", ""),
    ],
)
def test_amounts_people_write(text, amount, word):
    assert parse_amount(text) == (Decimal(amount), word)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not_a_number"),
        ("-5", "negative"),
        ("KSh -5", "negative"),
        ("1,5000", "decimals"),
        ("150.505", None),  # three digits after one mark: thousands (below)
        ("1,2,3", "grouping"),
        ("15,00,0", "grouping"),
        ("1.000,000.5", "grouping"),
        ("12 3456", "grouping"),
        ("150 and 20", "not_a_number"),
        ("KSh 150 USD", "not_a_number"),
        ("9" * 16, "too_large"),
        ("1" * 61, "too_large"),
        ("5" * 5000, "too_large"),
    ],
)
def test_amounts_refused_with_a_stable_code(text, code):
    if code is None:
        assert parse_amount(text) == (Decimal("150505"), "")
        return
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.code == code


def test_three_decimal_currencies_make_one_separator_and_three_digits_ambiguous():
    assert parse_amount("1.500", decimals=2) == (Decimal("1500"), "")
    with pytest.raises(AmountError, match="ambiguous"):
        parse_amount("1.500", decimals=3)
    assert parse_amount("1,500.250", decimals=3) == (Decimal("1500.250"), "")
    with pytest.raises(AmountError, match="decimals"):
        parse_amount("1.5", decimals=0)


def test_words_must_be_currencies_so_multipliers_are_never_dropped():
    words = currency_words()
    for word in ("ksh", "kes", "€", "shilingi ya kenya", "usd", "tsh"):
        assert word in words, word
    for text in ("150k", "1.5 million", "2 milioni", "150 mil"):
        with pytest.raises(AmountError, match="unknown_word"):
            parse_amount(text, words=words)


@pytest.mark.parametrize(
    ("text", "currency", "amount", "error"),
    [
        ("150,000 KSh", "KES", "150000", None),
        ("KSh ١٥٠٬٠٠٠", "KES", "150000", None),
        ("150.000,50 €", "EUR", "150000.50", None),
        ("", "KES", None, None),
        ("150,000 USD", "KES", None, "USD"),  # says another currency than the one chosen
        ("150k", "KES", None, "“k”"),
        ("1.500", "KWD", None, "1500 or 1.5"),
        ("150.5", "UGX", None, "UGX has at most 0 digits"),
    ],
)
def test_read_budget_gives_the_amount_or_a_sentence(app, text, currency, amount, error):
    with app.test_request_context():
        got, problem = read_budget(text, currency)
    assert got == amount
    if error:
        assert error in problem
    else:
        assert problem is None
