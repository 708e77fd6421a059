"""No value the national-system exports hide can be recovered by subtraction.

Brute force over small random data: every published number (the exported tables
and every margin the aggregates API publishes over the same dimensions, empty
cells as zeros) is a linear equation over the unknown finest cells; a hidden
cell is recoverable exactly when its own equation is a combination of those
(row space over the rationals, checked modulo a large prime)."""

import random
from itertools import combinations, product

import pytest

from app.exports.build import protected
from app.exports.tables import FINE, Tables
from app.privacy import disclosure
from tests.engines import ENGINES

pytestmark = ENGINES

P = (1 << 61) - 1  # a prime: exact rank of 0/1 equations, barring a 1-in-2^61 accident


class RowSpace:
    """An echelon basis modulo P; member(v) tells if v is a combination of the rows."""

    def __init__(self, width: int):
        self.width = width
        self.rows: dict[int, list[int]] = {}

    def _reduce(self, v: list[int]) -> list[int]:
        v = [x % P for x in v]
        for i in range(self.width):
            if v[i] and i in self.rows:
                f = v[i]
                row = self.rows[i]
                v = [(a - f * b) % P for a, b in zip(v, row, strict=True)]
        return v

    def add(self, v: list[int]) -> None:
        v = self._reduce(v)
        for i, x in enumerate(v):
            if x:
                inv = pow(x, P - 2, P)
                row = [a * inv % P for a in v]
                for j, other in self.rows.items():  # keep the basis fully reduced
                    if other[i]:
                        f = other[i]
                        self.rows[j] = [(a - f * b) % P for a, b in zip(other, row, strict=True)]
                self.rows[i] = row
                return

    def member(self, v: list[int]) -> bool:
        return not any(self._reduce(v))


def random_fine(seed: int) -> tuple[dict, str]:
    rnd = random.Random(seed)
    node = "KE/47"
    places = [f"{node}/a", f"{node}/b", f"{node}/c/x", f"{node}/c/y"][: rnd.choice([2, 3, 4])]
    weeks = ["2026-W01", "2026-W02", "2026-W06"][: rnd.choice([2, 3])]
    cats = ["water", "health", "roads"][: rnd.choice([2, 3])]
    genders = ["female", "male", "other"][: rnd.choice([2, 3])]
    ages = ["15-24", "25-34"]
    fine = {}
    for key in product(places, weeks, cats, genders, ages):
        if rnd.random() < 0.55:
            n = rnd.choice([1, 1, 2, 3, 4, 6, 9])
            fine[key] = [n, n + rnd.randint(0, 3)]
    return fine, node


def published_equations(t: Tables):
    """(published equations, hidden cells) of every table an outsider sees over
    the fine dimensions: each table of one or two dimensions (every locality
    level, week, month, category, gender, age band), the grand total, and the
    three exported tables. Each as (dims, key, indicator over fine cells)."""
    deepest = max(disclosure.depth(k[0]) for k in t.fine)
    locs = [f"locality:{n}" for n in range(1, deepest + 1)]
    dims = locs + ["week", "month", "category", "gender", "age_band"]
    tables = [(d,) for d in dims]
    tables += [(a, b) for a, b in combinations(dims, 2)
               if disclosure.family(a) != disclosure.family(b)]  # fmt: skip
    tables += t.published
    domain = sorted(product(*[sorted({k[i] for k in t.fine}) for i in range(5)]))
    index = {key: i for i, key in enumerate(domain)}
    seen, hidden = [], []
    seen.append([1] * len(domain))  # the grand total (published when >= k)
    if t.api.total() < t.k:
        hidden.append(((), (), seen.pop()))
    for table in tables:
        cells: dict = {}
        for key in domain:
            value = tuple(
                disclosure.derive(d, key[_fine_index(d)]) for d in table
            )
            cells.setdefault(value, [0] * len(domain))[index[key]] = 1
        shown_hidden = t.hidden(table)
        raw = t.raw(table)
        for value, vector in cells.items():
            if value in shown_hidden:
                assert value in raw
                hidden.append((table, value, vector))
            else:
                seen.append(vector)  # published, or empty (a known zero)
    return seen, hidden, len(domain)


def _fine_index(dim: str) -> int:
    return FINE.index(disclosure.base_of(dim))


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("k", [3, 5])
def test_no_hidden_cell_is_recoverable(seed, k):
    fine, node = random_fine(seed)
    t = protected(fine, k, node)
    seen, hidden, width = published_equations(t)
    space = RowSpace(width)
    for v in seen:
        space.add(v)
    leaks = [(table, value) for table, value, vector in hidden if space.member(vector)]
    assert leaks == []
    assert t.api.unresolved == []


def test_the_audit_withholds_rarely():
    """Withholding the exported tables is safe but useless: most small random
    data sets keep their exports."""
    kept = 0
    for seed in range(30):
        fine, node = random_fine(seed)
        t = protected(fine, 5, node)
        if not t.audit["withheld"]:
            kept += 1
            assert t.rows(t.total_table)
    assert kept >= 24


@pytest.mark.parametrize("seed", range(40))
def test_the_audit_finds_exactly_what_a_dense_solver_finds(seed):
    """The audit's equations over hidden cells only (app.exports.audit) say
    exactly what the finest cells say: on random extra hiding, in the exported
    tables and in the API's, it reports the same recoverable cells as the dense
    solver, no fewer (safety) and no more (usefulness)."""
    from app.exports import audit

    fine, node = random_fine(1000 + seed)
    t = Tables(fine, random.Random(seed).choice([3, 5]), node)
    rnd = random.Random(seed)
    for table in audit.visible_tables(t)[1:]:
        for key in sorted(t.raw(table)):
            if rnd.random() < (0.3 if len(table) > 2 else 0.08):
                t.hidden(table).add(key)
    seen, hidden, width = published_equations(t)
    space = RowSpace(width)
    for v in seen:
        space.add(v)
    dense = {(table, value) for table, value, vector in hidden if space.member(vector)}
    assert set(audit.recoverable(t)) == dense


def sparse_fine(seed: int) -> tuple[dict, str]:
    """Few needs over many cells: many empty published cells, whose zeros an
    outsider also uses (counts are never negative)."""
    rnd = random.Random(seed)
    node = "KE/47"
    places = [f"{node}/a", f"{node}/b", f"{node}/c/x", f"{node}/c/y"]
    weeks = ["2026-W01", "2026-W02", "2026-W06", "2026-W07"]
    axes = (places, weeks, ["water", "health", "roads"], ["female", "male", "other"],
            ["15-24", "25-34", "35-44"])  # fmt: skip
    density = [0.05, 0.1, 0.2][seed % 3]
    fine = {}
    for key in product(*axes):
        if rnd.random() < density:
            n = rnd.choice([1, 1, 2, 3, 6])
            fine[key] = [n, n]
    return fine, node


@pytest.mark.parametrize("seed", range(24))
def test_known_zeros_recover_nothing_either(seed):
    """With sparse data the finest cells inside empty cells are known zeros; the
    audit's last check (app.exports.zeros) repairs what they would tell."""
    from app.exports import audit, zeros

    fine, node = sparse_fine(seed)
    t = protected(fine, 3, node)
    assert t.audit["zeros"] or t.audit["withheld"]
    if not t.audit["withheld"]:
        tables = audit.visible_tables(t)
        assert zeros.recoverable(t, tables) == []
        assert audit.recoverable(t, tables) == []


def test_known_zeros_only_add_to_what_the_equations_find():
    """On sparse data with random extra hiding, everything the equations between
    tables find, the finest cells with their zeros find too, and sometimes more
    (which is why the audit's last check adds them while it can)."""
    from app.exports import audit, zeros

    more = 0
    for seed in range(30):
        fine, node = sparse_fine(seed)
        t = Tables(fine, 3, node)
        rnd = random.Random(seed)
        tables = audit.visible_tables(t)
        for table in tables[1:]:
            for key in sorted(t.raw(table)):
                if rnd.random() < (0.4 if len(table) > 2 else 0.15):
                    t.hidden(table).add(key)
        found = set(audit.recoverable(t, tables)) - {((), ())}
        with_zeros = set(zeros.recoverable(t, tables))
        assert found <= with_zeros
        more += found != with_zeros
    assert more >= 3
