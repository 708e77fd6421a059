"""Exact audit of the exported tables: no hidden value follows from published ones.

The heuristic of app.privacy.disclosure (every relation holds no hidden entry
or at least two) is exact for one- and two-dimension tables with their margins,
but not for the export's three- and four-dimension tables: a hidden cell can be
the solution of several relations taken together. So the export is audited as
an outsider would attack it: every published number (each cell of every table
over the export's dimensions, empty cells as zeros) is a linear equation over
the unknown finest cells (locality, week, category, gender, age band; cells
that an empty published cell forces to zero are known zeros, not unknowns),
and a hidden cell is recoverable exactly when its own equation is a linear
combination of them (sparse elimination modulo a 61-bit prime).

Repair: while a hidden cell below k (or one of the API's) is recoverable, the
published cells of the exported tables nearest to it are hidden too; exported
cells of at least k that are recoverable anyway are then published; should that not settle it in a
few rounds, or should the problem be larger than the audit's bound, the
exported tables are withheld whole and the API's own tables (which the audit
does not change) are all that remain.
"""

import heapq
from collections import defaultdict
from functools import lru_cache
from itertools import combinations

from app.privacy import disclosure
from app.store.export_cells import FINE
from schema.weeks import month_of

P = (1 << 61) - 1
MAX_UNKNOWNS = 20_000  # finest cells the audit solves for; beyond it, tables are withheld
MAX_ROUNDS = 25


class RowSpace:
    """Echelon basis modulo P of sparse rows {variable: coefficient}."""

    def __init__(self):
        self.pivots: dict[int, dict[int, int]] = {}

    def reduce(self, row: dict[int, int]) -> dict[int, int]:
        v = {j: c % P for j, c in row.items() if c % P}
        heap = list(v)
        heapq.heapify(heap)
        done = set()
        while heap:
            j = heapq.heappop(heap)
            if j in done or j not in v:
                continue
            done.add(j)
            pivot = self.pivots.get(j)
            if pivot is None:
                continue
            f = v[j]
            for i, c in pivot.items():
                x = (v.get(i, 0) - f * c) % P
                if x:
                    if i not in v:
                        heapq.heappush(heap, i)
                    v[i] = x
                else:
                    v.pop(i, None)
        return v

    def add(self, row: dict[int, int]) -> None:
        v = self.reduce(row)
        if v:
            j = min(v)
            inv = pow(v[j], P - 2, P)
            self.pivots[j] = {i: c * inv % P for i, c in v.items()}

    def member(self, row: dict[int, int]) -> bool:
        return not self.reduce(row)


def visible_tables(t) -> list[tuple[str, ...]]:
    """Every table an outsider sees over the export's dimensions: one or two of
    them (each locality level, week, month, category, gender, age band) as the
    aggregates API publishes them, and the exported tables."""
    deepest = max((disclosure.depth(k[0]) for k in t.fine), default=1)
    dims = [f"locality:{n}" for n in range(1, deepest + 1)]
    dims += ["week", "month", "category", "gender", "age_band"]
    tables = [(d,) for d in dims]
    tables += [(a, b) for a, b in combinations(dims, 2)
               if disclosure.family(a) != disclosure.family(b)]  # fmt: skip
    return tables + list(t.published)


@lru_cache(maxsize=None)
def _derive(dim: str, value):
    return disclosure.derive(dim, value)


def _plan(table) -> tuple[tuple[int, ...], tuple[str, ...]]:
    return tuple(FINE.index(disclosure.base_of(d)) for d in table), tuple(table)


def _key(plan, fine_key) -> tuple:
    index, dims = plan
    return tuple(_derive(d, fine_key[i]) for d, i in zip(dims, index, strict=True))


def unknowns(t, tables) -> list[tuple] | None:
    """Finest cells inside no empty published cell (None when there are more
    than MAX_UNKNOWNS). Built one dimension at a time: a prefix is dropped as
    soon as a table over its dimensions has no cell for it."""
    values = [sorted({k[i] for k in t.fine}) for i in range(5)]
    checks: dict[int, list] = defaultdict(list)
    for table in tables:
        plan = _plan(table)
        checks[max(plan[0])].append((plan, set(t.raw(table))))
    partial = [()]
    for i in range(5):
        grown = []
        for head in partial:
            for v in values[i]:
                cand = (*head, v)
                if all(_key(plan, cand) in keys for plan, keys in checks[i]):
                    grown.append(cand)
                    if len(grown) > MAX_UNKNOWNS:
                        return None
        partial = grown
    return partial


class System:
    """Every published or hidden cell of TABLES as an equation over the unknowns."""

    def __init__(self, t, tables):
        self.t = t
        self.tables = tables
        cells = unknowns(t, tables)
        self.too_large = cells is None
        self.rows: list[tuple] = []
        if self.too_large:
            return
        self.width = len(cells)
        for table in tables:
            plan = _plan(table)
            rows: dict = defaultdict(dict)
            for i, k in enumerate(cells):
                rows[_key(plan, k)][i] = 1
            self.rows += [(table, key, row) for key, row in rows.items()]

    def recoverable(self) -> list[tuple] | None:
        if self.too_large:
            return None
        t = self.t
        space = RowSpace()
        if t.api.total() >= t.k and self.width:
            space.add(dict.fromkeys(range(self.width), 1))
        hidden_rows = []
        for table, key, row in self.rows:
            if key in t.hidden(table):
                hidden_rows.append((table, key, row))
            else:
                space.add(row)
        return [(table, key) for table, key, row in hidden_rows if space.member(row)]


def recoverable(t, tables=None) -> list[tuple] | None:
    """[(table, key)] of hidden cells an outsider can compute (None when the
    problem is larger than the audit's bound)."""
    return System(t, tables or visible_tables(t)).recoverable()


def repair(t) -> dict:
    """Audit T (app.exports.tables.Tables) and hide more exported cells until no
    hidden value is recoverable. Returns {"rounds", "withheld"}.

    Hiding only ever grows (so it ends): a recoverable cell below k, or one of
    the API's, gets a complement; exported cells of at least k that stay
    recoverable are published at the end, which tells nothing new."""
    system = System(t, visible_tables(t))
    for rounds in range(MAX_ROUNDS):
        leaks = system.recoverable()
        if leaks is None:
            break
        urgent = [
            (table, key) for table, key in leaks
            if table not in t.published or t.raw(table)[key][0] < t.k
        ]  # fmt: skip
        if not urgent:
            for table, key in leaks:
                t.hidden(table).discard(key)
            return {"rounds": rounds, "withheld": False}
        added = False
        for table, key in urgent:
            cell = _complement(t, table, key)
            if cell is not None:
                t.hide(*cell)
                added = True
        if not added:
            break
    t.withhold()
    for table, key in system.recoverable() or []:
        if table in t.published:  # what the API's tables alone tell
            t.hidden(table).discard(key)
    return {"rounds": MAX_ROUNDS, "withheld": True}


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
