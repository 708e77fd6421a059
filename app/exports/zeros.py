"""The export's audit over the finest cells, with known zeros (small problems).

An outsider also knows that counts are never negative: every finest cell
(locality, week, category, gender, age band) inside an empty published cell is
zero. app.exports.audit's equations between tables say exactly what signed
finest cells say; this check adds what the zeros say, by solving for the finest
cells themselves (each published number an equation over those inside no empty
cell). It grows with the finest cells, so it runs only up to MAX_UNKNOWNS of
them (docs/exports.md).
"""

from collections import defaultdict
from functools import lru_cache

from app.privacy import disclosure
from app.store.export_cells import FINE

from .rowspace import RowSpace

MAX_UNKNOWNS = 20_000  # finest cells; beyond it this check is skipped


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


def recoverable(t, tables) -> list[tuple] | None:
    """[(table, key)] of hidden cells of TABLES (the grand total () aside) an
    outsider computes from the finest cells, zeros included; None when there
    are too many finest cells."""
    tables = [table for table in tables if table]
    cells = unknowns(t, tables)
    if cells is None:
        return None
    space = RowSpace()
    if t.api.total() >= t.k and cells:
        space.add(dict.fromkeys(range(len(cells)), 1))
    hidden_rows = []
    for table in tables:
        plan = _plan(table)
        rows: dict = defaultdict(dict)
        for i, k in enumerate(cells):
            rows[_key(plan, k)][i] = 1
        hidden = t.hidden(table)
        for key, row in rows.items():
            if key in hidden:
                hidden_rows.append((table, key, row))
            else:
                space.add(row)
    return [(table, key) for table, key, row in hidden_rows if space.member(row)]
