"""Meeting attendance (by gender and age band, suppressed with k) and action plans'
progress, received from the subtree, published through the API and open data."""

import csv
import json
from collections import defaultdict

import pytest
from click.testing import CliRunner

from app.cli import main
from app.node.home import open_home
from app.store import aggregates as store
from tests import aggregate_data as data
from tests.engines import ENGINES

pytestmark = ENGINES

ROOT = "KE/47/westlands"


def client_for(path, role):
    from app.factory import create_app
    from tests.conftest import add_token

    app = create_app({"HOME": path, "TESTING": True})
    return app.test_client(), {"Authorization": f"Bearer {add_token(path, role + '-t', role)}"}


@pytest.fixture
def region(tmp_path):
    from tests.conftest import make_home

    path = make_home(tmp_path / "region", name="Westlands", level="region", locality=ROOT)
    db = open_home(path).connect()
    data.fill_demo(db, ROOT, needs=200)
    with db.conn:  # one small group: one woman aged 65+ in d2
        db.execute(
            "INSERT INTO shared_meetings(origin, key, seq, locality, week, attendance,"
            " received_at) VALUES ('origin-d2', 'small', 99, ?, '2026-W03', ?, 'x')",
            [f"{ROOT}/d2/w1", json.dumps([{"gender": "other", "age_band": "65+", "count": 1},
                                          {"gender": "male", "age_band": "25-34", "count": 3}])],
        )  # fmt: skip
    db.close()
    return path


def test_attendance_is_published_with_suppression(region):
    client, headers = client_for(region, "analyst")
    db = open_home(region).connect()
    by_gender, by_age, _m = store.attendance(db)
    db.close()
    for by, source in (("gender", by_gender), ("age_band", by_age)):
        answer = client.get(f"/api/v1/participation/attendance?by={by}", headers=headers)
        assert answer.status_code == 200
        body = answer.json
        assert body["k"] == 5 and body["by"] == ["locality", by]
        truth = defaultdict(int)
        for (loc, value), n in source.items():
            truth[("/".join(loc.split("/")[:4]), value)] += n
        shown = {(r["locality"], r[by]): r["people"] for r in body["rows"]}
        assert all(truth[key] == n and n >= 5 for key, n in shown.items())
        hidden = [key for key, n in truth.items() if n and key not in shown]
        assert len(hidden) == body["suppressed"]
        assert any(truth[key] < 5 for key in hidden) == bool(hidden)
        per_locality = defaultdict(int)
        for loc, _value in hidden:
            per_locality[loc] += 1
        assert all(n != 1 for n in per_locality.values())  # no lone hidden cell in a row
    small = client.get("/api/v1/participation/attendance?by=age_band", headers=headers).json
    assert (f"{ROOT}/d2", "65+") not in {(r["locality"], r["age_band"]) for r in small["rows"]}
    bad = client.get("/api/v1/participation/attendance?by=goal", headers=headers)
    assert bad.status_code == 422
    facilitator, fheaders = client_for(region, "facilitator")
    assert facilitator.get("/api/v1/participation/actions", headers=fheaders).status_code == 403


def test_action_progress(region):
    client, headers = client_for(region, "council")
    rows = client.get("/api/v1/participation/actions", headers=headers).json["rows"]
    d3 = {r["status"]: r for r in rows if r["locality"] == f"{ROOT}/d3"}
    assert d3["done"]["actions"] == 13 and d3["in_progress"]["actions"] == 7
    assert d3["done"]["done_on_time"] < d3["done"]["actions"]  # some were late
    d1 = {r["status"]: r for r in rows if r["locality"] == f"{ROOT}/d1"}
    assert d1["done"]["done_on_time"] == d1["done"]["actions"]


def test_open_data_package_has_them(region, tmp_path):
    out = tmp_path / "open"
    result = CliRunner().invoke(main, ["export", "open-data", "--home", str(region), str(out)])
    assert result.exit_code == 0, result.output
    package = json.loads((out / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert {"meeting_attendance_by_gender", "meeting_attendance_by_age_band",
            "action_progress"} <= names  # fmt: skip
    with (out / "meeting_attendance_by_gender.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(int(r["people"]) >= 5 for r in rows)
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
