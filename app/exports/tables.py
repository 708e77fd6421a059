"""The tables the national-system exports publish, with disclosure control.

One value per (locality one level below the node, month, category), and its
breakdowns by gender and by age band: three tables over the export's finest grain
(app.store.export_cells). Their margins are tables the aggregates API publishes
(every table of one or two of these dimensions, the grand total, the locality's
coarser levels) and, for the two breakdowns, the locality x month x category table.
Tables are protected top-down as in app.privacy.disclosure: the API's tables are
protected first (the same Publisher, so the same hidden cells as the API), then
each exported table, with every published margin fixed, so that every relation
"a published cell is the sum of these exported cells" holds no hidden entry or
at least two.
"""

from collections import defaultdict
from functools import lru_cache
from itertools import combinations

from app.privacy import disclosure
from app.store.export_cells import FINE


class Tables:
    """Protected export tables over FINE cells {(locality, week, category,
    gender, age_band): [needs, supporters]} with threshold K, for a node at
    NODE_LOCALITY."""

    def __init__(self, fine: dict, k: int, node_locality: str):
        self.fine = fine
        self.k = k
        self.level = disclosure.depth(node_locality) + 1
        self.loc = f"locality:{self.level}"
        self.total_table = (self.loc, "month", "category")
        self.breakdowns = {
            "gender": (*self.total_table, "gender"),
            "age_band": (*self.total_table, "age_band"),
        }
        self.published = [self.total_table, *self.breakdowns.values()]
        self.api = disclosure.Publisher(self._fetch, k)
        self._raw: dict = {}
        self._hidden: dict = {}
        self.unresolved: list = []
        self.audit: dict = {}

    def _fetch(self, dims: tuple[str, ...]) -> dict:
        """Base cells of one or two FINE dimensions (the Publisher's reader)."""
        index = [FINE.index(d) for d in dims]
        out: dict = defaultdict(lambda: [0, 0])
        for key, (n, s) in self.fine.items():
            cell = out[tuple(key[i] for i in index)]
            cell[0] += n
            cell[1] += s
        return dict(out)

    def raw(self, dims: tuple[str, ...]) -> dict:
        """{(value, ...): [needs, supporters]} of any table over derived FINE dims."""
        if len(dims) <= 2:
            return self.api.raw(dims)
        if dims not in self._raw:
            index = [FINE.index(disclosure.base_of(d)) for d in dims]
            out: dict = defaultdict(lambda: [0, 0])
            for key, (n, s) in self.fine.items():
                cell = out[tuple([_derive(d, key[i]) for d, i in zip(dims, index, strict=True)])]
                cell[0] += n
                cell[1] += s
            self._raw[dims] = dict(out)
        return self._raw[dims]

    def hidden(self, dims: tuple[str, ...]) -> set:
        if len(dims) <= 2:
            return self.api.hidden(dims)
        if dims not in self._hidden:
            if dims not in self.published:
                raise KeyError(dims)
            self._hidden[dims] = self._protect(dims)
        return self._hidden[dims]

    def margins(self, dims: tuple[str, ...]) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
        """Published tables whose cells are sums of cells of DIMS: (their dims, the
        positions of DIMS they keep), coarser locality levels included. () is the
        grand total."""
        out = []
        for size in range(len(dims)):
            for keep in combinations(range(len(dims)), size):
                sub = tuple(dims[i] for i in keep)
                if size <= 2 or sub in self.published:
                    out.append((sub, keep))
                if self.loc in sub and size <= 2:
                    for n in range(1, self.level):
                        coarser = tuple(f"locality:{n}" if d == self.loc else d for d in sub)
                        out.append((coarser, keep))
        return out

    def _protect(self, dims: tuple[str, ...]) -> set:
        values = {key: n for key, (n, _s) in self.raw(dims).items()}
        if dims != self.total_table:
            # a hidden total hides its whole breakdown (value 0: below k, so hidden)
            totals = self.hidden(self.total_table)
            values = {key: 0 if key[:3] in totals else n for key, n in values.items()}
        equations: list[tuple[list, int]] = []
        projected: dict = {}  # keep -> {values kept: cells}
        for sub, keep in self.margins(dims):
            if not sub:
                equations.append((list(values), int(self.api.total() < self.k)))
                continue
            hidden = self.hidden(sub)
            if keep not in projected:
                projected[keep] = defaultdict(list)
                for key in values:
                    projected[keep][tuple(key[i] for i in keep)].append(key)
            groups: dict = defaultdict(list)
            for p, members in projected[keep].items():
                groups[tuple(_cut(d, v) for d, v in zip(sub, p, strict=True))] += members
            equations += [(members, int(g in hidden)) for g, members in groups.items()]
        hidden, unresolved = disclosure.suppress(values, equations, self.k)
        self.unresolved += [(dims, e) for e in unresolved]  # the audit settles these
        return hidden

    def hide(self, dims: tuple[str, ...], key: tuple) -> None:
        """Hide one more cell of exported table DIMS (the audit's repair); a
        total takes its breakdown along."""
        self.hidden(dims).add(key)
        if dims == self.total_table:
            for table in self.breakdowns.values():
                hidden = self.hidden(table)
                hidden.update(c for c in self.raw(table) if c[:3] == key)

    def withhold(self) -> None:
        """Hide every cell of the exported tables (the audit's last resort)."""
        for dims in self.published:
            self.hidden(dims).update(self.raw(dims))

    def rows(self, dims: tuple[str, ...]) -> list[dict]:
        """Published cells of DIMS (hidden ones left out): {dim key: value, ...,
        "needs", "supporters"}, sorted."""
        hidden = self.hidden(dims)
        out = []
        for key, (n, s) in sorted(self.raw(dims).items()):
            if key in hidden:
                continue
            row = {disclosure.key_name(d): v for d, v in zip(dims, key, strict=True)}
            out.append(dict(row, needs=n, supporters=s))
        return out

    def suppressed(self, dims: tuple[str, ...]) -> int:
        return len(self.hidden(dims))


_derive = lru_cache(maxsize=4096)(disclosure.derive)


def _cut(dim: str, value):
    """VALUE of the exported dimension cut to margin dimension DIM (locality:N)."""
    if dim.startswith("locality:"):
        return disclosure.prefix(value, int(dim[9:]))
    return value
