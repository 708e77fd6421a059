"""Read the maintained roll-ups (agg_cells), snapshots, and the meeting and
action figures the disparity indicators need. Flask-free.

Base dimensions are stored as they are; locality levels (locality:N) are summed
from them here, in the database; the rest (month, coarser levels of a table read
already) are rolled up in Python by app.privacy.disclosure.
"""

import json
from collections import defaultdict

from app.node import faults
from app.node.clock import now_iso
from schema.shared import NEED_FIELDS
from schema.weeks import week_of

from . import export_cells, levels
from .counting import DIM_CODES, NEEDS_COUNTED, SHARED_COUNTED, shared_row_counted
from .db import all_rows, is_postgres, one, path_prefix, table_exists, write

BASE_DIMS = tuple(DIM_CODES)
SNAPSHOTS_KEPT = 12
INT_DIMS = {"goal"}


def _decode(dim: str, value: str):
    return int(value) if dim in INT_DIMS else value


def cells(db, dims: tuple[str, ...], as_of: str | None = None) -> dict[tuple, list[int]]:
    """{(value, ...): [needs, supporters]} for one or two DIMS (in the order given),
    from the live roll-up or from snapshot AS_OF. Empty cells are absent. A
    dimension is a base one or `locality:N`, the locality cut to its first N
    segments and summed in the database (live on PostgreSQL: agg_levels), so a
    district table reads a hundred rows, not 10,000 communities' ~10^6 cells."""
    names = [d.split(":")[0] for d in dims]
    if len(dims) == 1:
        d1, d2, swap = DIM_CODES[names[0]], 0, False
    else:
        a, b = DIM_CODES[names[0]], DIM_CODES[names[1]]
        d1, d2, swap = min(a, b), max(a, b), a > b
    table, where, params = "agg_cells", "", [d1, d2]
    if as_of is not None:
        table, where, params = "agg_snapshot_cells", "as_of = ? AND ", [as_of, d1, d2]
    stored = list(reversed(dims)) if swap else list(dims)  # the dims of v1, v2
    if as_of is None and is_postgres(db) and stored[0].startswith("locality:"):
        level = int(stored[0][9:])
        sql, params = levels.CELLS_SQL, [level, d2, d2, level]
    else:
        values = [
            path_prefix(col, int(d[9:])) if d.startswith("locality:") else col
            for col, d in zip(("v1", "v2"), (stored + [""])[:2], strict=True)
        ]
        select, group = "v1, v2, needs, supporters", ""
        if values != ["v1", "v2"]:
            select = f"{values[0]}, {values[1]}, sum(needs), sum(supporters)"
            group = " GROUP BY 1, 2"
        sql = f"SELECT {select} FROM {table} WHERE {where}d1 = ? AND d2 = ? AND needs > 0{group}"
    out = {}
    for v1, v2, needs, supporters in db.execute(sql, params):
        if len(dims) == 1:
            out[(_decode(names[0], v1),)] = [needs, supporters]
        elif swap:
            out[(_decode(names[0], v2), _decode(names[1], v1))] = [needs, supporters]
        else:
            out[(_decode(names[0], v1), _decode(names[1], v2))] = [needs, supporters]
    return out


def week_range(db, as_of: str | None = None) -> tuple[str | None, str | None]:
    weeks = sorted(w for (w,) in cells(db, ("week",), as_of))
    return (weeks[0], weeks[-1]) if weeks else (None, None)


# -- keeping the roll-up exact --------------------------------------------------------


def contributions(row: dict) -> list[tuple[int, str, int, str]]:
    """The agg_cells keys one counted need row adds to (same rules as the triggers)."""
    goals = json.loads(row["goals"]) if isinstance(row["goals"], str) else row["goals"]
    groups = json.loads(row["groups"]) if isinstance(row["groups"], str) else row["groups"]
    values = [(1, row["locality"]), (2, row["category"])]
    values += [(3, str(g)) for g in goals]
    values += [(4, row["gender"]), (5, row["age_band"])]
    values += [(6, g) for g in (groups or ["none"])]
    values += [(7, row["channel"]), (8, row["status"]), (9, row["week"])]
    keys = []
    for i, (d1, v1) in enumerate(values):
        keys.append((d1, v1, 0, ""))
        for d2, v2 in values[i + 1 :]:
            if d2 > d1:
                keys.append((d1, v1, d2, v2))
    return keys


def _has_levels(db) -> bool:
    """agg_levels and agg_paths are kept (PostgreSQL, from migration aggregate m003)."""
    return is_postgres(db) and table_exists(db, "agg_levels")


def _fold(db, rows, sign: int = 1) -> None:
    acc: dict[tuple, list[int]] = {}
    for row in rows:
        supporters = row["supporters"]
        for key in contributions(row):
            cell = acc.get(key)
            if cell is None:
                acc[key] = [sign, sign * supporters]
            else:
                cell[0] += sign
                cell[1] += sign * supporters
    db.conn.executemany(
        "INSERT INTO agg_cells(d1, v1, d2, v2, needs, supporters) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(d1, d2, v1, v2) DO UPDATE SET needs = agg_cells.needs + excluded.needs, "
        "supporters = agg_cells.supporters + excluded.supporters",
        [(*key, n, s) for key, (n, s) in acc.items()],
    )


_COLS = "goals, groups, locality, category, gender, age_band, channel, supporters, status, week"


def rebuild(db) -> None:
    """Recompute agg_cells from needs and shared_needs (repair or first fill), and
    on PostgreSQL agg_levels and agg_paths from agg_cells (as migration m003 does)."""
    with write(db):
        db.execute("DELETE FROM agg_cells")
        for table, counted in (("needs", NEEDS_COUNTED), ("shared_needs", SHARED_COUNTED)):
            cur = db.conn.execute(f"SELECT {_COLS} FROM {table} AS r WHERE {counted.format(r='r')}")
            names = [c[0] for c in cur.description]
            while batch := cur.fetchmany(20_000):
                _fold(db, [dict(zip(names, r, strict=True)) for r in batch])
        if _has_levels(db):
            db.execute("DELETE FROM agg_levels")
            db.execute("DELETE FROM agg_paths")
            db.execute(levels.fold_levels("agg_cells"))
            db.execute(levels.add_paths("agg_cells"))


SHARED_NEED_COLUMNS = ("origin", "key", "seq", *NEED_FIELDS, "received_at")


def bulk_insert_shared_needs(db, rows: list[dict]) -> int:
    """Insert many NEW shared needs in one transaction, folding them into the
    roll-up in one pass instead of row by row (SQLite: 5x faster than its row
    triggers; PostgreSQL: one COPY, which its statement triggers fold at once).
    Rows whose (origin, key) exists already are refused by the primary key."""
    values = [
        tuple(
            json.dumps(r[c]) if c in ("goals", "groups") and not isinstance(r[c], str) else r.get(c)
            for c in SHARED_NEED_COLUMNS
        )
        for r in rows
    ]
    with write(db):
        if is_postgres(db):
            db.copy_rows("shared_needs", SHARED_NEED_COLUMNS, values)
            return len(rows)
        db.execute("INSERT INTO agg_bulk(id) VALUES (1)")
        try:
            db.conn.executemany(
                f"INSERT INTO shared_needs({', '.join(SHARED_NEED_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(SHARED_NEED_COLUMNS))})",
                values,
            )
            _fold(db, [r for r in rows if shared_row_counted(r)])
        finally:
            db.execute("DELETE FROM agg_bulk")
    return len(rows)


def _kept(db) -> set[tuple]:
    """Every non-empty cell of the maintained roll-ups."""
    out = {("cells", *row) for row in db.execute("SELECT * FROM agg_cells WHERE needs != 0")}
    if _has_levels(db):
        out |= {
            ("levels", *row)
            for row in db.execute(
                "SELECT level, v1, d2, v2, needs, supporters FROM agg_levels WHERE needs != 0"
            )
        }
    return out


def drift(db) -> int:
    """Cells where agg_cells (and agg_levels on PostgreSQL) differ from a fresh
    count (0 when exact); for checks."""
    with write(db):
        db.execute("SAVEPOINT agg_drift")
        try:
            before = _kept(db)
            rebuild(db)
            after = _kept(db)
        finally:
            db.execute("ROLLBACK TO agg_drift")
            db.execute("RELEASE agg_drift")
    return len(before ^ after)


# -- snapshots ------------------------------------------------------------------------


def snapshot(db, as_of: str) -> dict | None:
    return one(db, "SELECT * FROM agg_snapshots WHERE as_of = ?", [as_of])


def latest_snapshot(db) -> dict | None:
    return one(db, "SELECT * FROM agg_snapshots ORDER BY as_of DESC LIMIT 1")


def snapshots(db) -> list[dict]:
    return all_rows(db, "SELECT * FROM agg_snapshots ORDER BY as_of DESC")


def take_snapshot(db, as_of: str, k: int) -> bool:
    """Freeze the roll-up as the snapshot of week AS_OF, once: a week's snapshot
    is never replaced (two versions of one week would reveal the difference).
    Returns True when it was taken now. Keeps the latest SNAPSHOTS_KEPT."""
    with write(db):
        if snapshot(db, as_of) is not None:
            return False
        first, last = week_range(db)
        origins = one(db, "SELECT count(DISTINCT origin) AS n FROM shared_needs")["n"]
        db.execute(
            "INSERT INTO agg_snapshots(as_of, taken_at, k, first_week, last_week, origins) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [as_of, now_iso(), k, first, last, origins],
        )
        db.execute(
            "INSERT INTO agg_snapshot_cells SELECT ?, d1, v1, d2, v2, needs, supporters "
            "FROM agg_cells WHERE needs > 0",
            [as_of],
        )
        export_cells.freeze(db, as_of)
        old = [
            r["as_of"]
            for r in all_rows(
                db,
                "SELECT as_of FROM agg_snapshots ORDER BY as_of DESC LIMIT -1 OFFSET ?",
                [SNAPSHOTS_KEPT],
            )
        ]
        for week in old:
            export_cells.forget(db, week)
            db.execute("DELETE FROM agg_snapshot_cells WHERE as_of = ?", [week])
            db.execute("DELETE FROM agg_snapshots WHERE as_of = ?", [week])
        faults.point("snapshot.write")
    return True


# -- meetings, actions, priorities (for the indicators) -----------------------------


def attendance(db) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int], dict[str, int]]:
    """Meeting attendance of own and received meetings:
    ({(locality, gender): people}, {(locality, age_band): people}, {locality: meetings})."""
    by_gender: dict[tuple[str, str], int] = defaultdict(int)
    by_age: dict[tuple[str, str], int] = defaultdict(int)
    meetings: dict[str, int] = defaultdict(int)
    if table_exists(db, "meetings"):
        for r in db.execute("SELECT locality, count(*) FROM meetings GROUP BY locality"):
            meetings[r[0]] += r[1]
        for loc, gender, age, n in db.execute(
            "SELECT m.locality, a.gender, a.age_band, sum(a.count) FROM meeting_attendance a "
            "JOIN meetings m ON m.id = a.meeting_id GROUP BY m.locality, a.gender, a.age_band"
        ):
            by_gender[(loc, gender)] += n
            by_age[(loc, age)] += n
    for loc, people in db.execute("SELECT locality, attendance FROM shared_meetings"):
        meetings[loc] += 1
        for cell in json.loads(people):
            by_gender[(loc, cell["gender"])] += cell["count"]
            by_age[(loc, cell["age_band"])] += cell["count"]
    return dict(by_gender), dict(by_age), dict(meetings)


def actions(db) -> list[dict]:
    """Every own and received action with a due week: {locality, status, due_week,
    done_week, goals}."""
    out = []
    if table_exists(db, "actions") and table_exists(db, "priorities"):
        for r in all_rows(
            db,
            "SELECT p.locality, p.goals, a.status, a.due_date, a.done_date FROM actions a "
            "JOIN priorities p ON p.id = a.priority_id",
        ):
            out.append(
                {
                    "locality": r["locality"],
                    "goals": json.loads(r["goals"] or "[]"),
                    "status": r["status"],
                    "due_week": week_of(r["due_date"]),
                    "done_week": week_of(r["done_date"]),
                }
            )
    for r in all_rows(
        db,
        "SELECT p.locality, p.body, a.status, a.due_week, a.done_week FROM shared_actions a "
        "LEFT JOIN shared_priorities p ON p.origin = a.origin AND p.key = a.priority",
    ):
        out.append(
            {
                "locality": r["locality"],
                "goals": json.loads(r["body"] or "{}").get("goals", []) if r["body"] else [],
                "status": r["status"],
                "due_week": r["due_week"],
                "done_week": r["done_week"],
            }
        )
    return out


def priorities(db) -> list[dict]:
    """Own and received priorities: {goals, status, locality}."""
    out = []
    if table_exists(db, "priorities"):
        for r in all_rows(db, "SELECT goals, status, locality FROM priorities"):
            out.append(
                {"goals": json.loads(r["goals"] or "[]"), "status": r["status"],
                 "locality": r["locality"]}
            )  # fmt: skip
    for r in all_rows(db, "SELECT body, status, locality FROM shared_priorities"):
        out.append(
            {"goals": json.loads(r["body"]).get("goals", []), "status": r["status"],
             "locality": r["locality"]}
        )  # fmt: skip
    return out


# -- coverage and record-level export ----------------------------------------------


def records_by_origin(db, weeks: tuple[str, str] | None = None) -> dict[str, dict]:
    """{origin: {"needs": n, "meetings": m, "last_week": w}} of received records;
    the last week only among WEEKS (first, last), when given: a device with a
    wrong clock never makes a node look fresh (or stale)."""
    out: dict[str, dict] = defaultdict(lambda: {"needs": 0, "meetings": 0, "last_week": None})
    lo, hi = weeks or ("", "9999")
    for origin, n, last in db.execute(
        "SELECT origin, count(*), max(CASE WHEN week BETWEEN ? AND ? THEN week END) "
        "FROM shared_needs GROUP BY origin",
        [lo, hi],
    ):
        out[origin].update(needs=n, last_week=last)
    for origin, n in db.execute("SELECT origin, count(*) FROM shared_meetings GROUP BY origin"):
        out[origin]["meetings"] = n
    return dict(out)


def own_needs_count(db) -> int:
    return one(db, f"SELECT count(*) AS n FROM needs AS r WHERE {NEEDS_COUNTED.format(r='r')}")["n"]


RECORD_FIELDS = tuple(f for f in NEED_FIELDS if f not in ("text", "merged_into"))


def shared_records(db) -> list[dict]:
    """The coded fields of every counted need, own and received (no text, no ids)."""
    cols = ", ".join(RECORD_FIELDS)
    rows = all_rows(db, f"SELECT {cols} FROM needs AS r WHERE {NEEDS_COUNTED.format(r='r')}")
    rows += all_rows(
        db, f"SELECT {cols} FROM shared_needs AS r WHERE {SHARED_COUNTED.format(r='r')}"
    )
    for r in rows:
        r["goals"] = json.loads(r["goals"])
        r["groups"] = json.loads(r["groups"])
    return rows
