"""What the coverage page reads about the subtree's reporting units. Flask-free.

Every node a parent has heard of (app.store.sync_inbox's sync_nodes: its enrolled
children and every node they vouched for, at any depth), with the weeks in
which each sent needs or meetings."""

from collections import defaultdict

from .db import all_rows


def units(db) -> list[dict]:
    """[{node_id, locality, level, direct, first_seen}] of the whole subtree."""
    return all_rows(
        db,
        "SELECT node_id, locality, level, direct, first_seen FROM sync_nodes ORDER BY locality",
    )


def weeks_by_origin(db) -> dict[str, set[str]]:
    """{origin: ISO weeks with at least one received need or meeting}."""
    out: dict[str, set[str]] = defaultdict(set)
    for table in ("shared_needs", "shared_meetings"):
        for origin, week in db.execute(f"SELECT DISTINCT origin, week FROM {table}"):
            out[origin].add(week)
    return dict(out)
