"""The roll-up stays exact through every way needs change (triggers, bulk load)."""

import datetime as dt
import uuid

import pytest

from app.aggregate import opendata
from app.node.home import open_home
from app.store import aggregates as store
from app.store import needs as needs_store
from app.store import sync_shared
from app.store.counting import shared_row_counted
from tests import aggregate_data as data
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

WEEKS = data.weeks(dt.date(2026, 3, 2), 4)
LOCS = data.tree("KE/47", 2, 2, 1)


@pytest.fixture
def db(node_home):
    conn = open_home(node_home).connect()
    yield conn
    conn.close()


def own_need(db, **fields):
    need = {
        "uuid": str(uuid.uuid4()), "text": "borehole broken", "language": "sw",
        "category": "water", "goals": [6], "locality": "KE/47/westlands/kangemi",
        "gender": "female", "age_band": "25-34", "groups": [], "channel": "meeting",
        "supporters": 3, "captured_at": "2026-03-04T10:00:00+03:00",
    }  # fmt: skip
    need.update(fields)
    stored, _ = needs_store.insert(
        db, need, submission_hash="x", hidden=fields.get("hidden", False)
    )
    return stored


def goal6(db):
    return store.cells(db, ("goal",)).get((6,), [0, 0])


def test_hidden_needs_count_once_accepted(db):
    need = own_need(db, hidden=True)
    assert goal6(db) == [0, 0]
    db.execute("UPDATE needs SET hidden = 0 WHERE id = ?", [need["id"]])
    assert goal6(db) == [1, 3]
    assert store.drift(db) == 0


def test_merge_and_unmerge_keep_supporters_without_double_counting(db):
    from app.store import triage

    a, b = own_need(db, supporters=4), own_need(db, supporters=6, groups=["displaced"])
    assert goal6(db) == [2, 10]
    triage.merge(db, b["id"], a["id"], user=None)
    # the merged need is not counted; its supporters are, once (in the target)
    assert goal6(db) == [1, 10]
    assert store.cells(db, ("group",)) == {("none",): [1, 10]}
    triage.unmerge(db, b["id"], user=None)
    assert goal6(db) == [2, 10]
    assert store.drift(db) == 0


def test_shared_upsert_retraction_and_bulk_load_agree(db):
    rows = data.shared_rows(300, LOCS, WEEKS, seed=5)
    records = [dict(r, seq=r["seq"]) for r in rows]
    with db.conn:
        sync_shared.upsert(db, "need", records)
    assert store.drift(db) == 0
    # newer states of some records (status changes, merges), then retractions
    newer = [dict(r, seq=r["seq"] + 1000, status="merged" if i % 3 else "resolved",
                  supporters=r["supporters"] + 1) for i, r in enumerate(records[:60])]  # fmt: skip
    with db.conn:
        sync_shared.upsert(db, "need", newer)
        sync_shared.retract(db, [{"origin": r["origin"], "kind": "need", "key": r["key"],
                             "seq": 5000, "reason": "spam"} for r in records[60:80]])  # fmt: skip
    assert store.drift(db) == 0
    expected = data.truth(newer + records[80:], ("locality:4", "status"))
    pub = opendata.publisher(db, 5)
    assert pub.raw(("locality:4", "status")) == expected


def test_bulk_insert_matches_the_triggers(node_home, tmp_path):
    from tests.conftest import make_home

    rows = data.shared_rows(500, LOCS, WEEKS, seed=6)
    one = open_home(node_home).connect()
    data.insert_shared(one, rows)
    other = open_home(make_home(tmp_path / "other", level="region", locality="KE/47")).connect()
    assert store.bulk_insert_shared_needs(other, rows) == 500
    dump = "SELECT * FROM agg_cells WHERE needs != 0 ORDER BY 1, 2, 3, 4"
    assert list(one.execute(dump)) == list(other.execute(dump))
    assert store.drift(other) == 0
    assert other.execute("SELECT count(*) FROM agg_bulk").fetchone()[0] == 0
    # after a bulk load the triggers work again
    data.insert_shared(other, [dict(rows[0], key="new-1")])
    assert store.drift(other) == 0
    one.close()
    other.close()


def test_snapshots_are_kept_once_per_week_and_pruned(db):
    data.insert_shared(db, data.shared_rows(50, LOCS, WEEKS, seed=2))
    start = dt.date(2026, 1, 5)
    for i in range(store.SNAPSHOTS_KEPT + 2):
        opendata.take_weekly_snapshot(db, start + dt.timedelta(weeks=i))
    weeks = [s["as_of"] for s in store.snapshots(db)]
    assert len(weeks) == store.SNAPSHOTS_KEPT and weeks == sorted(weeks, reverse=True)
    assert store.cells(db, ("goal",), weeks[0]) == store.cells(db, ("goal",))
    assert store.cells(db, ("goal",), "2026-W01") == {}  # pruned


def test_locality_levels_agree_live_snapshot_and_rebuilt(db, engine):
    """A locality level (a district table) is the same from the live roll-up
    (agg_levels on PostgreSQL, summed at read time on SQLite), from a snapshot
    and from the base cells; paths shorter than the level (a district's own
    needs) and longer ones both count, and an erased need leaves every level."""
    rows = data.shared_rows(200, LOCS + ["KE/47", "KE/47/d1"], WEEKS, seed=9)
    data.insert_shared(db, rows)
    own_need(db, locality="KE/47/d2")
    opendata.take_weekly_snapshot(db, dt.date(2026, 3, 30))
    (week,) = [s["as_of"] for s in store.snapshots(db)]
    for level in (1, 2, 3, 4):
        for other in ("gender", "category", None):
            dims = (f"locality:{level}", other) if other else (f"locality:{level}",)
            base = ("locality", other) if other else ("locality",)
            expected: dict = {}
            for key, (n, s) in store.cells(db, base).items():
                cell = expected.setdefault(("/".join(key[0].split("/")[:level]), *key[1:]),
                                           [0, 0])  # fmt: skip
                cell[0] += n
                cell[1] += s
            assert store.cells(db, dims) == expected, dims
            assert store.cells(db, dims, week) == expected, dims
    assert store.drift(db) == 0
    # the erasure path: a counted need retracted leaves every level
    gone = next(r for r in rows if shared_row_counted(r) and r["locality"].count("/") == 3)
    with db.conn:
        sync_shared.retract(db, [{"origin": gone["origin"], "kind": "need", "key": gone["key"],
                                  "seq": 9000, "reason": "erasure"}])  # fmt: skip
    cell = ("KE/47", gone["gender"])
    before = store.cells(db, ("locality:2", "gender"), week)[cell]
    assert store.cells(db, ("locality:2", "gender"))[cell] == [
        before[0] - 1,
        before[1] - gone["supporters"],
    ]
    assert store.drift(db) == 0
    if engine == "postgresql":
        assert db.execute("SELECT count(*) FROM agg_levels").fetchone()[0] > 0


def test_an_older_postgresql_roll_up_gains_its_levels(node_home, engine):
    """Migration aggregate m003 folds the roll-up a node holds already into
    agg_levels and agg_paths (a node upgraded with data in it)."""
    if engine != "postgresql":
        pytest.skip("agg_levels is PostgreSQL's (SQLite sums levels at read time)")
    db = open_home(node_home).connect()
    data.insert_shared(db, data.shared_rows(150, LOCS + ["KE/47"], WEEKS, seed=10))
    expected = store.cells(db, ("locality:3", "category"))
    db.execute("DROP TABLE agg_levels")
    db.execute("DROP TABLE agg_paths")
    db.execute("DROP FUNCTION sauti_prefix")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_locality_levels'")
    db.close()
    db = open_home(node_home).connect()  # migrates again
    assert store.cells(db, ("locality:3", "category")) == expected
    assert store.drift(db) == 0
    db.close()
