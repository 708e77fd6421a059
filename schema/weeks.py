"""ISO weeks: the only time a shared record carries, and the month a week falls in.

A week is written `YYYY-Www`; its month (the contract's month of a week) is
the month of its Thursday, so every week belongs to exactly one month.

One rule for every time a node accepts (captured_at through the API, the form,
paper CSV, the offline queue and the SMS gateway's sent_at) and every week a
shared record carries: years FIRST_YEAR to LAST_YEAR. A time outside them is a
wrong device clock or a typo, and a week outside them would be refused by a
parent, so it is refused where it comes in (422).
"""

import datetime as dt
import re

FIRST_YEAR = 1900
LAST_YEAR = 2199
_WEEK_RE = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")


def year_ok(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def week_of(moment: dt.date | str | None) -> str | None:
    """`YYYY-Www` of a date, a datetime or a timestamp text (its date part); None
    for a missing or unreadable value, or one outside the accepted years."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        try:
            moment = dt.date.fromisoformat(moment[:10])
        except ValueError:
            return None
    year, week, _ = moment.isocalendar()
    if not year_ok(year):
        return None
    return f"{year:04d}-W{week:02d}"


def valid_week(text) -> bool:
    """True for an ISO week `YYYY-Www` that exists (W53 only in long years) within
    the accepted years."""
    match = _WEEK_RE.match(text) if isinstance(text, str) else None
    if match is None or not year_ok(int(match.group(1))):
        return False
    try:
        dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return False
    return True


def current_week(today: dt.date | None = None) -> str:
    """The ISO week of TODAY (default: today)."""
    return week_of(today or dt.date.today())


def month_of(week: str) -> str:
    """`YYYY-MM` of the Thursday of ISO week `YYYY-Www`."""
    year, number = week.split("-W")
    thursday = dt.date.fromisocalendar(int(year), int(number), 4)
    return f"{thursday.year:04d}-{thursday.month:02d}"
