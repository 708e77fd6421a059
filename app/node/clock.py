"""The node's clock: the one place that reads the time (UTC, to the second).

Wall-clock times are data on a node (when a need was received, when a token was
last used), never the sync cursor: ordering uses sequence numbers. Tests move
time by passing `now=` where a function takes one.
"""

import datetime as dt


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def now_iso() -> str:
    """The current time as stored: ISO 8601, UTC, whole seconds."""
    return now().isoformat(timespec="seconds")
