"""Wrong device clocks (issue 12): needs whose captured_at is more than two days
ahead of the node's clock, or years behind it, are kept but flagged, and never
become a node's "latest week" on the coverage page."""

import datetime as dt
import random

import pytest

from app.node import device_clock, home
from app.store import aggregates
from tests import aggregate_data as data
from tests.sync_helpers import Capturer

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("captured_at, expected", [
    ("2026-12-03T09:00:00+03:00", None),
    ("2026-12-05T11:00:00+00:00", None),       # a day and 23 hours ahead: fine
    ("2026-12-05T12:00:01+00:00", "ahead"),
    ("2099-01-01T00:00:00", "ahead"),
    ("2025-06-01T00:00:00+00:00", None),       # last year: a late paper form
    ("2024-12-01T00:00:00+00:00", "behind"),   # more than two years behind
    ("1970-01-01T00:00:00+00:00", "behind"),   # a tablet that lost its clock
    ("", None),
    (None, None),
    ("not a time", None),
])
def test_suspect(captured_at, expected):
    assert device_clock.suspect(captured_at, now=NOW) == expected


def test_plausible_weeks():
    assert device_clock.plausible_weeks(NOW) == ("2024-W49", "2026-W49")


def test_flagged_on_needs_list_and_council_views(node_home, signed_in):
    capture = Capturer(node_home)
    future = capture.need(text="Saa ya kifaa iko mbele", captured_at="2099-03-04T09:30:00+03:00")
    past = capture.need(text="Saa ya kifaa iko nyuma", captured_at="1999-03-04T09:30:00+03:00")
    fine = capture.need(text="Saa ni sawa", captured_at=dt.datetime.now(dt.UTC).isoformat())
    client = signed_in("council")
    triage = client.get("/council/triage").get_data(as_text=True)
    assert triage.count("device clock ahead") == 1
    assert triage.count("device clock years behind") == 1
    listing = client.get("/needs").get_data(as_text=True)
    assert listing.count("device clock ahead") == 1 and listing.count("years behind") == 1
    db = home.open_home(node_home).connect()
    ids = {r[1]: r[0] for r in db.execute("SELECT id, uuid FROM needs")}
    db.close()
    page = client.get(f"/council/needs/{ids[future['uuid']]}").get_data(as_text=True)
    assert "device clock ahead" in page and "2099-03-04" in page
    page = client.get(f"/council/needs/{ids[fine['uuid']]}").get_data(as_text=True)
    assert "device clock" not in page
    assert past["uuid"] in ids  # kept, as the contract says


def test_a_wrong_week_never_becomes_the_latest(node_home):
    rnd = random.Random(3)
    locality = "KE/47/westlands/kangemi"
    rows = []
    for i, (origin, week) in enumerate([
        ("node-a", "2026-W40"), ("node-a", "2099-W10"), ("node-a", "2026-W47"),
        ("node-b", "1999-W01"), ("node-b", "2026-W30"),
        ("node-c", "2099-W12"),
    ]):
        rec = data.record(rnd, locality, week)
        rec.update(origin=origin, key=str(i), seq=i + 1, text=None, merged_into=None,
                   received_at="2026-12-01T00:00:00+00:00")
        rows.append(rec)
    db = home.open_home(node_home).connect()
    try:
        data.insert_shared(db, rows)
        got = aggregates.records_by_origin(db, device_clock.plausible_weeks(NOW))
        everything = aggregates.records_by_origin(db)
    finally:
        db.close()
    assert {o: v["last_week"] for o, v in got.items()} == {
        "node-a": "2026-W47", "node-b": "2026-W30", "node-c": None}
    assert got["node-a"]["needs"] == 3 and got["node-c"]["needs"] == 1  # kept and counted
    assert everything["node-a"]["last_week"] == "2099-W10"
