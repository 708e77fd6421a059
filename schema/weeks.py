"""ISO weeks: the only time a shared record carries, and the month a week falls in.

A week is written `YYYY-Www`; its month (the contract's month of a week) is
the month of its Thursday, so every week belongs to exactly one month.
"""

import datetime as dt


def week_of(moment: dt.date | str | None) -> str | None:
    """`YYYY-Www` of a date, a datetime or a timestamp text (its date part); None
    for a missing or unreadable value."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        try:
            moment = dt.date.fromisoformat(moment[:10])
        except ValueError:
            return None
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def current_week(today: dt.date | None = None) -> str:
    """The ISO week of TODAY (default: today)."""
    return week_of(today or dt.date.today())


def month_of(week: str) -> str:
    """`YYYY-MM` of the Thursday of ISO week `YYYY-Www`."""
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 4).strftime("%Y-%m")
