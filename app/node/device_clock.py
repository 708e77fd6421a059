"""Wrong device clocks: a need's `captured_at` is the capturing device's time,
which may be years off. Such needs are kept (contract: data, 1900–2199) but
flagged on the needs list and the council's views, and their weeks never count
as a node's "latest week" (the coverage page).

Suspect: more than two days ahead of the node's clock, or more than two years
behind it. The node's own clock is checked by `sauti doctor`.
"""

import datetime as dt

from app.node import clock
from schema.weeks import week_of

AHEAD = dt.timedelta(days=2)
BEHIND = dt.timedelta(days=2 * 365)


def suspect(captured_at: str | None, now: dt.datetime | None = None) -> str | None:
    """'ahead', 'behind' or None (fine, or no time sent)."""
    if not captured_at:
        return None
    try:
        moment = dt.datetime.fromisoformat(captured_at)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    now = now or clock.now()
    if moment > now + AHEAD:
        return "ahead"
    if moment < now - BEHIND:
        return "behind"
    return None


def plausible_weeks(now: dt.datetime | None = None) -> tuple[str, str]:
    """(first, last) ISO week a capture may plausibly fall in, by the node's clock."""
    now = now or clock.now()
    return week_of((now - BEHIND).date()), week_of((now + AHEAD).date())
