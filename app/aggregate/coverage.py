"""Coverage of a parent's subtree: every reporting unit wherever it sits in the
tree (not only the direct children), with its last data, its freshness and its
share of expected weekly reports; a relay (a node that passes its children's
records on) is shown as a relay with its subtree's totals, never as "0 needs".
Flask-free."""

import datetime as dt

from app.node import device_clock
from app.privacy import disclosure
from app.store import aggregates as store
from app.store import coverage as coverage_store

RELAY_LEVELS = ("district", "region", "nation")


def _monday(week: str) -> dt.date:
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1)


def _week(day: dt.date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def units(db, today: dt.date) -> list[dict]:
    """One row per node of the subtree: node_id, locality, level, depth (below
    this node), relay, needs, meetings (its own), subtree_needs, last_week,
    weeks_since (freshness), expected (weeks since it first reported),
    reported (weeks with data), share (reported / expected or None)."""
    nodes = coverage_store.units(db)
    sent = store.records_by_origin(db)
    weeks = coverage_store.weeks_by_origin(db)
    # A device whose clock is far off never makes "the latest week" (app/node/device_clock).
    low, high = device_clock.plausible_weeks()
    now = _week(today)
    rows = []
    for n in nodes:
        mine = sent.get(n["node_id"], {})
        reported = {w for w in weeks.get(n["node_id"], set()) if low <= w <= high}
        first = min(reported) if reported else None
        expected = None
        if first is not None:
            expected = max(1, (_monday(now) - _monday(first)).days // 7 + 1)
        last = max(reported) if reported else None
        rows.append({
            "node_id": n["node_id"],
            "locality": n["locality"],
            "level": n["level"],
            "direct": bool(n["direct"]),
            "needs": mine.get("needs", 0),
            "meetings": mine.get("meetings", 0),
            "last_week": last,
            "weeks_since": None if last is None else (_monday(now) - _monday(last)).days // 7,
            "reported": len(reported),
            "expected": expected,
            "share": None if not expected else min(1.0, len(reported) / expected),
        })  # fmt: skip
    for row in rows:
        below = [r for r in rows if r is not row and _under(r["locality"], row["locality"])]
        row["relay"] = bool(below) or (row["level"] in RELAY_LEVELS and not row["needs"])
        row["subtree_needs"] = row["needs"] + sum(r["needs"] for r in below)
        row["depth"] = disclosure.depth(row["locality"])
    return rows


def subtree_needs(rows: list[dict], locality: str) -> int:
    """Needs received from every unit at or under LOCALITY."""
    return sum(r["needs"] for r in rows if _under(r["locality"], locality))
