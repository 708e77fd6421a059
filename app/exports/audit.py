"""Exact audit of the exported tables: no hidden value follows from published ones.

The heuristic of app.privacy.disclosure (every relation holds no hidden entry
or at least two) is exact for one- and two-dimension tables with their margins,
but not for the export's three- and four-dimension tables: a hidden cell can be
the solution of several relations taken together. So the export is audited as
an outsider would attack it, with every table over the export's dimensions he
sees (visible_tables; empty cells are zeros).

The unknowns are the hidden cells only (published ones are known numbers), and
the equations are the relations between the tables: each cell of a table is
the sum of the cells of a finer table inside it ("finer" down one step in the
lattice of visible tables; the others follow). A set of tables is the margins
of some finest cells exactly when every two of them agree on their common
margin (split every dimension into orthogonal contrasts, as in an analysis of
variance: a table fixes the contrasts over its own dimensions, and two tables
share exactly the contrasts of their common margin, which is itself visible),
so it says exactly what the equations over (signed) finest cells say, with fewer
unknowns: a hidden cell is recoverable exactly when its unit vector is a
combination of the equations (sparse elimination modulo a 61-bit prime; see
docs/exports.md). tests/test_exports_disclosure.py checks it against a dense
solver over the finest cells. What counts never being negative adds (cells
inside an empty cell are zeros) app.exports.zeros checks last, while the
finest cells are few enough.

Repair: while a hidden cell below k (or one of the API's) is recoverable, the
published cells of the exported tables nearest to it are hidden too; exported
cells of at least k that are recoverable anyway are then published; should that not settle it in a
few rounds, or should the problem be larger than the audit's bound, the
exported tables are withheld whole and the API's own tables (which the audit
does not change) are all that remain.
"""

from collections import defaultdict
from itertools import combinations

from app.privacy import disclosure
from schema.weeks import month_of

from . import zeros
from .rowspace import P, RowSpace

MAX_UNKNOWNS = 200_000  # hidden cells solved for (about 95,000 and 320 MB at 100,000 needs)
MAX_ROUNDS = 25


def visible_tables(t) -> list[tuple[str, ...]]:
    """Every table an outsider sees over the export's dimensions: the grand
    total, one or two of them (each locality level, week, month, category,
    gender, age band) as the aggregates API publishes them, and the exported
    tables."""
    deepest = max((disclosure.depth(k[0]) for k in t.fine), default=1)
    dims = [f"locality:{n}" for n in range(1, deepest + 1)]
    dims += ["week", "month", "category", "gender", "age_band"]
    tables = [(d,) for d in dims]
    tables += [(a, b) for a, b in combinations(dims, 2)
               if disclosure.family(a) != disclosure.family(b)]  # fmt: skip
    return [(), *tables, *t.published]


def _level(dim: str) -> int:
    return int(dim[9:]) if dim.startswith("locality:") else 1 + (dim == "week")


def _plan(big, small) -> list[tuple[int, str]] | None:
    """[(position in BIG, dim of SMALL)]: how a cell of BIG names the cell of
    SMALL it lies in; None when SMALL is not a margin of BIG."""
    plan = []
    for d in small:
        pos = [i for i, e in enumerate(big)
               if disclosure.base_of(e) == disclosure.base_of(d) and _level(e) >= _level(d)]  # fmt: skip
        if not pos:
            return None
        plan.append((pos[0], None if big[pos[0]] == d else d))
    return plan


def _cut(plan, key) -> tuple:
    return tuple(key[i] if d is None else disclosure.derive(d, key[i]) for i, d in plan)


def steps(tables) -> list[tuple[tuple, tuple, list]]:
    """(finer table, coarser table, plan) for each step of the lattice of
    TABLES: the coarser is a margin of the finer with no table in between."""
    below = {big: [s for s in tables if s != big and _plan(big, s) is not None] for big in tables}
    out = []
    for big, smalls in below.items():
        for small in smalls:
            if not any(small in below[mid] for mid in smalls if mid != small):
                out.append((big, small, _plan(big, small)))
    return out


def hidden_cells(t, table) -> set:
    if table == ():
        return {()} if 0 < t.api.total() < t.k else set()
    return t.hidden(table)


class System:
    """The relations between TABLES as equations over their hidden cells."""

    def __init__(self, t, tables):
        self.cells: list[tuple] = []  # (table, key) of each unknown
        index: dict = {}
        for table in reversed(tables):  # finest first: their pivots keep rows short
            for key in sorted(hidden_cells(t, table)):
                index[(table, key)] = len(self.cells)
                self.cells.append((table, key))
        self.too_large = len(self.cells) > MAX_UNKNOWNS
        self.rows: list[dict[int, int]] = []
        if self.too_large:
            return
        for big, small, plan in steps(tables):
            rows: dict = defaultdict(dict)
            for key in hidden_cells(t, big):
                rows[_cut(plan, key)][index[(big, key)]] = P - 1
            for key in hidden_cells(t, small):
                rows[key][index[(small, key)]] = 1
            self.rows += rows.values()

    def recoverable(self) -> list[tuple] | None:
        if self.too_large:
            return None
        space = RowSpace()
        for row in self.rows:
            space.add(row)
        return [self.cells[i] for i in space.determined()]


def recoverable(t, tables=None) -> list[tuple] | None:
    """[(table, key)] of hidden cells an outsider can compute (None when the
    problem is larger than the audit's bound)."""
    return System(t, visible_tables(t) if tables is None else tables).recoverable()


def repair(t) -> dict:
    """Audit T (app.exports.tables.Tables) and hide more exported cells until no
    hidden value is recoverable. Returns {"rounds", "withheld", "zeros"} ("zeros":
    whether app.exports.zeros checked the end result too).

    Hiding only ever grows (so it ends): a recoverable cell below k, or one of
    the API's, gets a complement; exported cells of at least k that stay
    recoverable are published at the end, which tells nothing new."""
    tables = visible_tables(t)
    zeros_checked = False
    for rounds in range(MAX_ROUNDS):
        leaks = recoverable(t, tables)
        if leaks is None:
            break
        if not _urgent(t, leaks):  # then what the zeros say, when small enough
            more = zeros.recoverable(t, tables)
            zeros_checked = more is not None
            leaks = sorted(set(leaks) | set(more or []))
        urgent = _urgent(t, leaks)
        if not urgent:
            for table, key in leaks:
                t.hidden(table).discard(key)
            return {"rounds": rounds, "withheld": False, "zeros": zeros_checked}
        added = False
        for table, key in urgent:
            cell = _complement(t, table, key)
            if cell is not None:
                t.hide(*cell)
                added = True
        if not added:
            break
    t.withhold()
    for table, key in recoverable(t, tables) or []:
        if table in t.published:  # what the API's tables alone tell
            t.hidden(table).discard(key)
    return {"rounds": MAX_ROUNDS, "withheld": True, "zeros": False}


def _urgent(t, leaks) -> list[tuple]:
    """The recoverable cells that must not be: the API's, and exported ones below k."""
    return [(table, key) for table, key in leaks
            if table not in t.published or t.raw(table)[key][0] < t.k]  # fmt: skip


def _complement(t, table, key):
    """(exported table, cell) to hide for a recoverable hidden cell: in an
    exported table, the published cell of the same table that differs from it
    in the fewest values, the smallest first; in one of the API's tables, the smallest published
    total of the export that lies inside it."""
    if table in t.published:
        hidden = t.hidden(table)
        best = None
        for cell, (n, _s) in t.raw(table).items():
            if cell in hidden:
                continue
            rank = (sum(a != b for a, b in zip(cell, key, strict=True)), n, cell)
            if best is None or rank < best:
                best = rank
        return None if best is None else (table, best[2])
    target = t.total_table
    hidden = t.hidden(target)
    best = None
    for cell, (n, _s) in t.raw(target).items():
        if cell in hidden:
            continue
        inside = True
        for d, v in zip(table, key, strict=True):
            if d in ("gender", "age_band"):
                continue  # not in the total: any total may hold it
            if d == "week":
                d, v = "month", month_of(v)
            pos = 0 if d.startswith("locality:") else target.index(d)
            mine = disclosure.prefix(cell[0], int(d[9:])) if pos == 0 else cell[pos]
            if mine != v:
                inside = False
                break
        if inside and (best is None or (n, cell) < best):
            best = (n, cell)
    return None if best is None else (target, best[1])
