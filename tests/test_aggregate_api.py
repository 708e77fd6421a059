"""GET /api/v1/aggregates: dimensions, roles, public snapshots."""

import datetime as dt

import pytest

from app.aggregate import opendata
from app.node import settings
from app.node.home import open_home
from schema import weeks
from tests import aggregate_data as data
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

K = 5


@pytest.fixture
def filled(node_home):
    db = open_home(node_home).connect()
    locs = data.tree("KE/47/westlands/kangemi", 2, 2, 1)
    weeks = data.weeks(dt.date(2026, 2, 2), 6)
    rows = data.shared_rows(300, locs, weeks, seed=3)
    data.insert_shared(db, rows)
    own = data.insert_own(db, 40, ["KE/47/westlands/kangemi"], weeks, seed=4)
    db.close()
    return rows + own


def test_answer_shape_and_counts(api, filled):
    client, headers = api("analyst")
    r = client.get("/api/v1/aggregates?by=goal,gender", headers=headers)
    assert r.status_code == 200
    body = r.get_json()
    assert body["k"] == K and body["by"] == ["goal", "gender"]
    assert body["as_of"] == weeks.current_week()
    expected = data.truth(filled, ("goal", "gender"))
    assert body["rows"], body
    for row in body["rows"]:
        assert set(row) == {"goal", "gender", "needs", "supporters"}
        assert [row["needs"], row["supporters"]] == expected[(row["goal"], row["gender"])]
        assert row["needs"] >= K
    assert body["suppressed"] == len(expected) - len(body["rows"])


def test_locality_dimensions(api, filled):
    client, headers = api("council")
    body = client.get("/api/v1/aggregates?by=locality", headers=headers).get_json()
    depth = len(["KE", "47", "westlands", "kangemi"]) + 1
    # node path + one segment; needs captured at the node's own locality keep its path
    assert {r["locality"].count("/") + 1 for r in body["rows"]} == {depth - 1, depth}
    expected = data.truth(filled, (f"locality:{depth}",))
    assert [(r["locality"], r["needs"], r["supporters"]) for r in body["rows"]] == [
        (key[0], *expected[key])
        for key in sorted(expected)
        if (key[0],) in {(r["locality"],) for r in body["rows"]}
    ]
    assert len(body["rows"]) + body["suppressed"] == len(expected)
    body = client.get("/api/v1/aggregates?by=locality:6,month", headers=headers).get_json()
    assert body["by"] == ["locality:6", "month"]
    assert all(set(r) == {"locality", "month", "needs", "supporters"} for r in body["rows"])
    expected = data.truth(filled, ("locality:6", "month"))
    for r in body["rows"]:
        assert [r["needs"], r["supporters"]] == expected[(r["locality"], r["month"])]


@pytest.mark.parametrize(
    "by", ["", "goal,gender,status", "colour", "week,month", "locality:0", "gender,gender"]
)
def test_bad_dimensions_are_422(api, by):
    client, headers = api("analyst")
    r = client.get(f"/api/v1/aggregates?by={by}", headers=headers)
    assert r.status_code == 422
    assert r.get_json()["error"] == "invalid" and "by" in r.get_json()["details"]


def test_roles_and_tokens(api, client, node_home):
    assert client.get("/api/v1/aggregates?by=goal").status_code == 401
    bad = {"Authorization": "Bearer nope-not-a-token"}
    assert client.get("/api/v1/aggregates?by=goal", headers=bad).status_code == 401
    fac_client, fac = api("facilitator")
    assert fac_client.get("/api/v1/aggregates?by=goal", headers=fac).status_code == 403
    for role in ("council", "analyst", "admin"):
        c, h = api(role)
        assert c.get("/api/v1/aggregates?by=goal", headers=h).status_code == 200


def test_public_answers_come_from_the_snapshot(client, node_home, filled):
    db = open_home(node_home).connect()
    settings.set_value(db, "open_data", "on")
    assert client.get("/api/v1/aggregates?by=gender").status_code == 404  # no snapshot yet
    week = opendata.take_weekly_snapshot(db, dt.date(2026, 3, 18))
    before = client.get("/api/v1/aggregates?by=gender").get_json()
    assert before["as_of"] == week == "2026-W12"
    # New data after the snapshot is not public until the next week's snapshot.
    extra = data.shared_rows(50, ["KE/47/westlands/kangemi/x"], ["2026-W12"], seed=9)
    for i, r in enumerate(extra):
        r["key"] = f"late-{i}"
    data.insert_shared(db, extra)
    assert opendata.take_weekly_snapshot(db, dt.date(2026, 3, 19)) == week  # same week: kept
    after = client.get("/api/v1/aggregates?by=gender").get_json()
    assert after == before
    live = opendata.answer(db, "gender", live=True)
    assert sum(r["needs"] for r in live["rows"]) > sum(r["needs"] for r in before["rows"])
    settings.set_value(db, "open_data", "off")
    assert client.get("/api/v1/aggregates?by=gender").status_code == 401
    db.close()
