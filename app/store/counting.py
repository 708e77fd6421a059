"""Which needs are counted: the one rule behind every count, roll-up and trigger.

A need counts unless it was merged into another (its supporters moved there) or,
for this node's own needs, it is hidden (a kiosk need nobody has reviewed, a
removed one). Hidden needs are never shared, so shared rows have no such flag.
The conditions are SQL templates over a row alias: NEEDS_COUNTED.format(r="n").
"""

NEEDS_COUNTED = "({r}.hidden = 0 AND {r}.status != 'merged')"
SHARED_COUNTED = "({r}.status != 'merged')"


def shared_row_counted(row: dict) -> bool:
    """SHARED_COUNTED for a row in Python (bulk ingest folds rows before storing)."""
    return row["status"] != "merged"


# Dimension codes stored in agg_cells.d1 / d2 (never renumber: stored data).
DIM_CODES = {
    "locality": 1,
    "category": 2,
    "goal": 3,
    "gender": 4,
    "age_band": 5,
    "group": 6,
    "channel": 7,
    "status": 8,
    "week": 9,
}
