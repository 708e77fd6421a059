"""The roll-up stays exact through every way needs change (triggers, bulk load)."""

import datetime as dt
import uuid

import pytest

from app.aggregate import opendata
from app.node.home import open_home
from app.store import aggregates as store
from app.store import needs as needs_store
from app.store import sync_shared
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
