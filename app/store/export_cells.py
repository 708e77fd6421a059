"""The finest grain the national-system exports publish (app.exports): needs and
supporters per (locality, week, category, gender, age band), live or frozen with
a weekly snapshot. Flask-free. Counted needs only (app.store.counting); each need
counts once, so these cells add up exactly to every coarser table over the same
dimensions.
"""

from .counting import NEEDS_COUNTED, SHARED_COUNTED
from .db import one

FINE = ("locality", "week", "category", "gender", "age_band")
_COLS = ", ".join(FINE)
_LIVE = (
    f"SELECT {_COLS}, count(*) AS needs, sum(supporters) AS supporters FROM ("
    f"SELECT {_COLS}, supporters FROM needs AS r WHERE {NEEDS_COUNTED.format(r='r')} "
    f"UNION ALL SELECT {_COLS}, supporters FROM shared_needs AS r "
    f"WHERE {SHARED_COUNTED.format(r='r')}) AS counted GROUP BY {_COLS}"
)


def live(db) -> dict[tuple, list[int]]:
    """{(locality, week, category, gender, age_band): [needs, supporters]} now."""
    return {tuple(r[:5]): [r[5], r[6]] for r in db.execute(_LIVE)}


def freeze(db, as_of: str) -> None:
    """Inside take_snapshot's transaction: copy the live grain as snapshot AS_OF's."""
    db.execute(
        f"INSERT INTO agg_snapshot_fine(as_of, {_COLS}, needs, supporters) "
        f"SELECT ?, {_COLS}, needs, supporters FROM ({_LIVE}) AS live",
        [as_of],
    )
    db.execute("UPDATE agg_snapshots SET fine = 1 WHERE as_of = ?", [as_of])


def frozen(db, as_of: str) -> dict[tuple, list[int]] | None:
    """The grain frozen with snapshot AS_OF, or None for a snapshot taken before
    snapshots kept it."""
    row = one(db, "SELECT fine FROM agg_snapshots WHERE as_of = ?", [as_of])
    if row is None or not row["fine"]:
        return None
    return {
        tuple(r[:5]): [r[5], r[6]]
        for r in db.execute(
            f"SELECT {_COLS}, needs, supporters FROM agg_snapshot_fine WHERE as_of = ?", [as_of]
        )
    }


def forget(db, as_of: str) -> None:
    """Inside take_snapshot's transaction: drop an old snapshot's grain."""
    db.execute("DELETE FROM agg_snapshot_fine WHERE as_of = ?", [as_of])
