"""Disclosure control for published counts (Flask-free; the heart of aggregates).

Every published table has one or two dimensions. A cell whose `needs` is below
k is hidden (primary suppression). Then complementary cells are hidden until
every linear relation an outsider could use holds either no hidden entry or
at least two of them:

- a one-dimension table sums to the grand total, or, for `locality:N` and
  `week`, each group of children sums to its parent cell (`locality:N-1`,
  `month`), which the parent table publishes with its own suppression;
- in a two-dimension table each row sums to the one-dimension table of its
  first dimension, each column to that of the second, and for a hierarchical
  dimension each block of children sums to the parent level's two-dimension
  table.

Tables are protected top-down: a table's margins (the one-dimension tables,
the parent levels) are protected first and taken as fixed, so every table is
the same whichever query asks for it, and no hidden value is the difference
between published ones. Goals and groups count a need once per value, so their
sums are not totals; they are protected as if they were (safe side).
A complementary cell is never one that another relation pins to a published
value (the only non-empty cell of a relation whose total is published).
"""

import re
from collections import defaultdict
from collections.abc import Callable

from schema.fields import prefix
from schema.weeks import month_of

BASE = ("locality", "category", "goal", "gender", "age_band", "group", "channel", "status", "week")
SIMPLE = ("category", "goal", "gender", "age_band", "group", "channel", "status", "week", "month")
MULTI = {"goal", "group"}  # a need counts once under each of its values
MAX_DEPTH = 12
_LOC = re.compile(r"^locality:([1-9][0-9]?)$")


class DimensionError(ValueError):
    """A `by` value the aggregates do not offer; the message says what is."""


def depth(path: str) -> int:
    return len(path.strip("/").split("/"))


def parse_dims(by: str | None, node_locality: str) -> tuple[str, ...]:
    """('goal', 'locality:3') from 'goal,locality'; DimensionError when not allowed."""
    names = [p.strip() for p in (by or "").split(",") if p.strip()]
    if not names:
        raise DimensionError("Give one or two dimensions, e.g. by=goal or by=goal,gender.")
    if len(names) > 2:
        raise DimensionError("At most two dimensions.")
    dims = []
    for name in names:
        if name == "locality":
            dims.append(f"locality:{depth(node_locality) + 1}")
        elif _LOC.match(name) and int(_LOC.match(name).group(1)) <= MAX_DEPTH or name in SIMPLE:
            dims.append(name)
        else:
            raise DimensionError(
                f"Unknown dimension {name!r}; use locality, locality:N, " + ", ".join(SIMPLE) + "."
            )
    if len(dims) == 2 and family(dims[0]) == family(dims[1]):
        raise DimensionError("The two dimensions must differ (one locality and one time at most).")
    return tuple(dims)


def family(dim: str) -> str:
    if dim.startswith("locality"):
        return "locality"
    return "time" if dim in ("week", "month") else dim


def base_of(dim: str) -> str:
    if dim.startswith("locality"):
        return "locality"
    return "week" if dim == "month" else dim


def key_name(dim: str) -> str:
    return "locality" if dim.startswith("locality") else dim


def derive(dim: str, value):
    """The value of DIM for a base value (locality path, week)."""
    if dim.startswith("locality:"):
        return prefix(value, int(dim[9:]))
    if dim == "month":
        return month_of(value)
    return value


def parent(dim: str) -> str | None:
    """The coarser dimension DIM's cells add up to, if any."""
    if dim.startswith("locality:"):
        n = int(dim[9:])
        return f"locality:{n - 1}" if n > 1 else None
    return "month" if dim == "week" else None


def suppress(
    values: dict, equations: list[tuple[list, int]], k: int
) -> tuple[set, list[tuple[list, int]]]:
    """Hidden cells of one table.

    VALUES {cell: needs} (non-empty cells only); EQUATIONS [(cells, fixed_hidden)]:
    the cells of a relation plus how many of its other entries (margins, parent
    cells; fixed by tables protected earlier) are hidden. Returns (hidden cells,
    relations left with exactly one hidden entry because every other entry was
    pinned — empty unless margins themselves leak)."""
    hidden = {c for c, n in values.items() if n < k}
    by_cell: dict = defaultdict(list)
    for i, (members, _fixed) in enumerate(equations):
        for c in members:
            by_cell[c].append(i)
    pinned = {members[0] for members, fixed in equations if len(members) == 1 and fixed == 0}
    count = [fixed + sum(1 for c in members if c in hidden) for members, fixed in equations]
    todo = sorted(i for i, n in enumerate(count) if n == 1)
    unresolved = []
    while todo:
        nxt = []
        for i in todo:
            if count[i] != 1:
                continue
            members = equations[i][0]
            candidates = [c for c in members if c not in hidden and c not in pinned]
            if not candidates:
                unresolved.append(equations[i])
                continue
            best = min(
                candidates,
                key=lambda c: (
                    -sum(1 for j in by_cell[c] if j != i and count[j] == 1),
                    values[c],
                    repr(c),
                ),
            )
            hidden.add(best)
            for j in by_cell[best]:
                count[j] += 1
                if count[j] == 1:
                    nxt.append(j)
        todo = sorted(set(nxt))
    return hidden, unresolved


class Publisher:
    """Builds published tables from base cells, with disclosure control.

    FETCH(dims) -> {(value, ...): [needs, supporters]} reads the roll-up (live or
    a snapshot) for base dims, and for `locality:N` too when LEVELS (the store
    sums locality levels in the database). Every other table is derived here
    from the smallest finer one. Tables are memoized for the Publisher's lifetime."""

    def __init__(
        self,
        fetch: Callable[[tuple[str, ...]], dict],
        k: int,
        total_dim="gender",
        *,
        levels: bool = False,
    ):
        self.fetch = fetch
        self.k = k
        self.total_dim = total_dim
        self.levels = levels
        self._raw: dict = {}
        self._hidden: dict = {}
        self.unresolved: list = []

    def raw(self, dims: tuple[str, ...]) -> dict:
        """{(value, ...): [needs, supporters]} for derived DIMS (no suppression)."""
        if dims not in self._raw:
            source = self._source(dims)
            if source == dims:
                self._raw[dims] = self.fetch(dims)
            else:
                out: dict = defaultdict(lambda: [0, 0])
                # each source value is derived once (10,000 communities make ~10^6 base cells)
                memo: list[dict | None] = [
                    {} if d != f else None for d, f in zip(dims, source, strict=True)
                ]
                for key, (n, s) in self.raw(source).items():
                    derived = []
                    for d, v, seen in zip(dims, key, memo, strict=True):
                        if seen is None:  # the same dimension in the source
                            derived.append(v)
                            continue
                        got = seen.get(v)
                        if got is None:
                            got = seen[v] = derive(d, v)
                        derived.append(got)
                    cell = out[tuple(derived)]
                    cell[0] += n
                    cell[1] += s
                self._raw[dims] = dict(out)
        return self._raw[dims]

    def _source(self, dims: tuple[str, ...]) -> tuple[str, ...]:
        """The table DIMS is summed from: the smallest finer table read already
        (a district table from the community-level one), else what FETCH answers."""
        finer = [
            known
            for known in self._raw
            if len(known) == len(dims) and all(map(_finer, known, dims)) and known != dims
        ]
        if finer:
            return min(finer, key=lambda known: len(self._raw[known]))
        if self.levels:
            return tuple(d if d.startswith("locality:") else base_of(d) for d in dims)
        return tuple(base_of(d) for d in dims)

    def total(self) -> int:
        return sum(n for n, _s in self.raw((self.total_dim,)).values())

    def hidden(self, dims: tuple[str, ...]) -> set:
        if dims not in self._hidden:
            self._hidden[dims] = self._protect(dims)
        return self._hidden[dims]

    def _protect(self, dims: tuple[str, ...]) -> set:
        raw = self.raw(dims)
        values = {key: n for key, (n, _s) in raw.items()}
        equations: list[tuple[list, int]] = []
        if len(dims) == 1:
            (a,) = dims
            up = parent(a)
            if up is None:
                equations.append((list(values), int(self.total() < self.k)))
            else:
                up_hidden = self.hidden((up,))
                blocks = defaultdict(list)
                for key in values:
                    blocks[derive_parent(a, key[0])].append(key)
                for p, members in blocks.items():
                    equations.append((members, int((p,) in up_hidden)))
        else:
            a, b = dims
            ha, hb = self.hidden((a,)), self.hidden((b,))
            rows, cols = defaultdict(list), defaultdict(list)
            for key in values:
                rows[key[0]].append(key)
                cols[key[1]].append(key)
            equations += [(m, int((v,) in ha)) for v, m in rows.items()]
            equations += [(m, int((v,) in hb)) for v, m in cols.items()]
            pa, pb = parent(a), parent(b)
            if pa is not None:
                hp = self.hidden((pa, b))
                blocks = defaultdict(list)
                for key in values:
                    blocks[(derive_parent(a, key[0]), key[1])].append(key)
                equations += [(m, int(p in hp)) for p, m in blocks.items()]
            if pb is not None:
                hp = self.hidden((a, pb))
                blocks = defaultdict(list)
                for key in values:
                    blocks[(key[0], derive_parent(b, key[1]))].append(key)
                equations += [(m, int(p in hp)) for p, m in blocks.items()]
        hidden, unresolved = suppress(values, equations, self.k)
        self.unresolved += [(dims, e) for e in unresolved]
        return hidden

    def table(self, dims: tuple[str, ...]) -> list[dict]:
        """Every non-empty cell, sorted by its values, with a `hidden` flag
        (for pages: hidden cells show no number)."""
        raw, hidden = self.raw(dims), self.hidden(dims)
        out = []
        for key in sorted(raw, key=_sort_key):
            n, s = raw[key]
            row = {key_name(d): v for d, v in zip(dims, key, strict=True)}
            shown = key not in hidden
            row.update(
                needs=n if shown else None, supporters=s if shown else None, hidden=not shown
            )
            out.append(row)
        return out

    def publish(self, dims: tuple[str, ...]) -> tuple[list[dict], int]:
        """(rows of published cells, number of hidden cells) as the API answers."""
        rows, suppressed = [], 0
        for row in self.table(dims):
            if row.pop("hidden"):
                suppressed += 1
            else:
                rows.append(row)
        return rows, suppressed


def _finer(known: str, dim: str) -> bool:
    """True when every value of DIM can be derived from one of KNOWN."""
    if known == dim:
        return True
    if dim.startswith("locality:"):
        return known == "locality" or (
            known.startswith("locality:") and int(known[9:]) > int(dim[9:])
        )
    return dim == "month" and known == "week"


def derive_parent(dim: str, value):
    up = parent(dim)
    if dim.startswith("locality:"):
        return prefix(value, int(up[9:]))
    return month_of(value)


def _sort_key(key: tuple):
    return tuple((0, v, "") if isinstance(v, int) else (1, 0, str(v)) for v in key)


def shares(numerators: dict, denominators: dict) -> dict:
    """{key: share in [0, 1] or None} where both counts are published."""
    out = {}
    for key, den in denominators.items():
        num = numerators.get(key)
        out[key] = None if den in (None, 0) or num is None else num / den
    return out


def median(values: list[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
