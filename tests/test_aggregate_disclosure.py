"""Disclosure control: small worked tables, then a whole generated dataset whose
every published table is attacked by subtraction (and by exact linear algebra)."""

import datetime as dt

import pytest

from app.aggregate import opendata
from app.node.home import open_home
from app.privacy import disclosure
from app.store import aggregates as store
from schema import weeks
from tests import aggregate_data as data
from tests.conftest import make_home
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

K = 5


def test_suppress_hides_small_cells_and_a_partner():
    values = {("a",): 10, ("b",): 3, ("c",): 7, ("d",): 20}
    hidden, unresolved = disclosure.suppress(values, [(list(values), 0)], K)
    assert ("b",) in hidden and len(hidden) == 2
    assert ("c",) in hidden  # the smallest other cell is the partner
    assert unresolved == []


@pytest.mark.parametrize(
    "values, fixed, expected",
    [
        ({("a",): 10, ("b",): 20}, 0, set()),  # nothing small: nothing hidden
        ({("a",): 2, ("b",): 3, ("c",): 9}, 0, {("a",), ("b",)}),  # two small: enough
        ({("a",): 12, ("b",): 20}, 1, {("a",)}),  # hidden margin + one hidden cell
        ({("a",): 4}, 1, {("a",)}),  # a parent hidden, its only child small
    ],
)
def test_suppress_cases(values, fixed, expected):
    hidden, _ = disclosure.suppress(values, [(list(values), fixed)], K)
    assert hidden == expected


def test_pinned_cells_are_never_partners():
    # Row r1: (r1,a)=2 small; (r1,b) is the only cell of column b whose margin is
    # published, so hiding it would reveal nothing new to hide behind.
    values = {("r1", "a"): 2, ("r1", "b"): 30, ("r1", "c"): 9, ("r2", "a"): 8, ("r2", "c"): 6}
    eqs = [
        ([("r1", "a"), ("r1", "b"), ("r1", "c")], 0),
        ([("r2", "a"), ("r2", "c")], 0),
        ([("r1", "a"), ("r2", "a")], 0),
        ([("r1", "b")], 0),
        ([("r1", "c"), ("r2", "c")], 0),
    ]
    hidden, unresolved = disclosure.suppress(values, eqs, K)
    assert ("r1", "b") not in hidden
    assert hidden == {("r1", "a"), ("r1", "c"), ("r2", "a"), ("r2", "c")}
    assert unresolved == []


def test_dimension_parsing():
    assert disclosure.parse_dims("goal,gender", "KE/47") == ("goal", "gender")
    assert disclosure.parse_dims("locality", "KE/47") == ("locality:3",)
    assert disclosure.parse_dims("locality:2, month", "KE/47") == ("locality:2", "month")
    for bad in ("", "goal,gender,status", "colour", "week,month", "locality,locality:4",
                "locality:0", "goal,goal"):  # fmt: skip
        with pytest.raises(disclosure.DimensionError):
            disclosure.parse_dims(bad, "KE/47")


def test_month_of_week_uses_thursday():
    assert weeks.month_of("2026-W01") == "2026-01"  # Thu 1 Jan 2026
    assert weeks.month_of("2025-W01") == "2025-01"  # Mon 30 Dec 2024, Thu 2 Jan
    assert weeks.month_of("2026-W05") == "2026-01"  # Thu 29 Jan
    assert weeks.month_of("2026-W09") == "2026-02"  # Thu 26 Feb


# -- a whole dataset -----------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, engine):
    path = make_home(tmp_path_factory.mktemp("agg") / "home", level="region", locality="KE/47")
    db = open_home(path).connect()
    locs = data.tree("KE/47", 3, 3, 2) + ["KE/47/d1", "KE/47"]
    weeks = data.weeks(dt.date(2026, 1, 19), 9)
    rows = data.shared_rows(700, locs, weeks, seed=7)
    data.insert_shared(db, rows)
    own = data.insert_own(db, 80, ["KE/47", "KE/47/d1", "KE/47/d2/w1"], weeks, seed=8)
    yield db, rows + own
    db.close()


def all_tables(deepest: int) -> list[tuple[str, ...]]:
    dims = [f"locality:{n}" for n in range(1, deepest + 2)] + list(opendata.PUBLISHED_DIMS)
    tables = [(d,) for d in dims]
    tables += [
        (a, b)
        for i, a in enumerate(dims)
        for b in dims[i + 1 :]
        if disclosure.family(a) != disclosure.family(b)
    ]
    return tables


def published(db, tables):
    """Each table asked on its own (a fresh Publisher per query, as the API does)."""
    out = {}
    for dims in tables:
        pub = opendata.publisher(db, K)
        rows, suppressed = pub.publish(dims)
        assert pub.unresolved == [], (dims, pub.unresolved[:3])
        names = [disclosure.key_name(d) for d in dims]
        out[dims] = ({tuple(r[n] for n in names): r["needs"] for r in rows}, suppressed)
    return out


def equations(tables, truths):
    """The true linear relations between cells (var = (dims, key)); TOTAL is a var."""
    eqs = []
    single = lambda d: d not in disclosure.MULTI
    for dims in tables:
        cells = truths[dims]
        if len(dims) == 1:
            (a,) = dims
            up = disclosure.parent(a)
            if up is None and single(a):
                eqs.append(([(dims, c) for c in cells], ("TOTAL",)))
            elif up is not None:
                blocks = {}
                for c in cells:
                    blocks.setdefault(disclosure.derive_parent(a, c[0]), []).append((dims, c))
                eqs += [(m, ((up,), (p,))) for p, m in blocks.items()]
            continue
        a, b = dims
        rows, cols = {}, {}
        for c in cells:
            rows.setdefault(c[0], []).append((dims, c))
            cols.setdefault(c[1], []).append((dims, c))
        if single(b):
            eqs += [(m, ((a,), (v,))) for v, m in rows.items()]
        if single(a):
            eqs += [(m, ((b,), (v,))) for v, m in cols.items()]
        for pos, dim in enumerate(dims):
            up = disclosure.parent(dim)
            if up is None:
                continue
            blocks = {}
            for c in cells:
                p = list(c)
                p[pos] = disclosure.derive_parent(dim, c[pos])
                blocks.setdefault(tuple(p), []).append((dims, c))
            pdims = tuple(up if i == pos else d for i, d in enumerate(dims))
            eqs += [(m, (pdims, p)) for p, m in blocks.items()]
    return eqs


def test_every_published_table_matches_an_independent_count(dataset):
    db, records = dataset
    deepest = max(r["locality"].count("/") + 1 for r in records)
    for dims in all_tables(deepest):
        expected = data.truth(records, dims)
        pub = opendata.publisher(db, K)
        assert {k: v for k, v in pub.raw(dims).items()} == expected, dims
        rows, suppressed = pub.publish(dims)
        names = [disclosure.key_name(d) for d in dims]
        shown = {tuple(r[n] for n in names): [r["needs"], r["supporters"]] for r in rows}
        assert all(expected[key] == value for key, value in shown.items()), dims
        assert all(value[0] >= K for value in shown.values()), dims
        assert suppressed == len(expected) - len(shown), dims
        small = {key for key, value in expected.items() if value[0] < K}
        assert not small & set(shown), dims
    assert store.drift(db) == 0


def test_no_suppressed_cell_is_recovered_by_subtraction(dataset):
    db, records = dataset
    deepest = max(r["locality"].count("/") + 1 for r in records)
    tables = all_tables(deepest)
    truths = {dims: {k: v[0] for k, v in data.truth(records, dims).items()} for dims in tables}
    pubs = published(db, tables)
    known = {("TOTAL",): None}
    known = {}
    hidden_vars = set()
    for dims in tables:
        shown, suppressed = pubs[dims]
        assert suppressed == len(truths[dims]) - len(shown)
        for key in truths[dims]:
            if key in shown:
                known[(dims, key)] = shown[key]
            else:
                hidden_vars.add((dims, key))
    assert hidden_vars, "the dataset should need suppression"
    eqs = equations(tables, truths)

    # 1. Subtraction, repeated: any relation with one unknown reveals it.
    found = dict(known)
    changed = True
    while changed:
        changed = False
        for members, total in eqs:
            entries = [*members, total]
            unknown = [e for e in entries if e not in found]
            if len(unknown) != 1:
                continue
            (u,) = unknown
            rest = sum(found[e] for e in members if e in found)
            found[u] = found[total] - rest if u != total else rest
            changed = True
    recovered = hidden_vars & set(found)
    assert not recovered, sorted(recovered)[:5]

    # 2. Exact linear algebra (mod a large prime): a hidden cell is determined by
    # the published ones iff its unit vector lies in the row space of the relations.
    determined = determined_unknowns(eqs, known)
    assert not (determined & hidden_vars), sorted(determined & hidden_vars)[:5]


P = (1 << 61) - 1


def determined_unknowns(eqs, known) -> set:
    index: dict = {}
    rows = []
    for members, total in eqs:
        row = {}
        for var, coef in [*((m, 1) for m in members), (total, -1)]:
            if var in known:
                continue
            i = index.setdefault(var, len(index))
            row[i] = (row.get(i, 0) + coef) % P
        row = {i: c for i, c in row.items() if c}
        if row:
            rows.append(row)
    pivots: dict[int, dict] = {}  # fully reduced rows, by pivot column
    for row in rows:
        for col in [c for c in row if c in pivots]:
            f = row.pop(col)
            for i, c in pivots[col].items():
                if i != col:
                    row[i] = (row.get(i, 0) - f * c) % P
                    if row[i] == 0:
                        del row[i]
        if not row:
            continue
        col = min(row)
        inv = pow(row[col], P - 2, P)
        row = {i: c * inv % P for i, c in row.items()}
        for other in pivots.values():
            if col in other:
                f = other.pop(col)
                for i, c in row.items():
                    if i != col:
                        other[i] = (other.get(i, 0) - f * c) % P
                        if other[i] == 0:
                            del other[i]
        pivots[col] = row
    names = {i: v for v, i in index.items()}
    return {names[col] for col, row in pivots.items() if len(row) == 1}
