"""Open data: the CLI export, its Frictionless package, published.db, records."""

import csv
import datetime as dt
import io
import json
import sqlite3
import zipfile
from collections import Counter

import pytest
from click.testing import CliRunner

from app.aggregate import opendata
from app.cli import main
from app.node import settings
from app.node.home import open_home
from tests import aggregate_data as data
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

K = 5


@pytest.fixture
def filled(node_home):
    db = open_home(node_home).connect()
    locs = data.tree("KE/47/westlands/kangemi", 2, 2, 2)
    weeks = data.weeks(dt.date(2026, 2, 2), 6)
    rows = data.shared_rows(400, locs, weeks, seed=21)
    data.insert_shared(db, rows)
    db.close()
    return rows


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_export_validates_and_hides_small_cells(node_home, tmp_path, filled):
    out = tmp_path / "open"
    result = run("export", "open-data", "--home", node_home, out)
    assert result.exit_code == 0, result.output
    assert "snapshot:" in result.output
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((out / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert "needs_by_goal_and_gender" in names and "needs_by_locality6_and_month" in names
    assert "needs_records" not in names  # off by default
    for resource in package["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert all(f.get("description") for f in resource["schema"]["fields"])
        with (out / resource["path"]).open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert list(rows[0]) == fields if rows else True
        dims = tuple(fields[:-2])
        for row in rows:
            assert int(row["needs"]) >= K
        # codes per contract
        if "goal" in dims:
            assert all(1 <= int(r["goal"]) <= 17 for r in rows)
        if "week" in dims:
            assert all(len(r["week"]) == 8 and r["week"][4:6] == "-W" for r in rows)
    # every published cell equals an independent count
    truth = data.truth(filled, ("goal", "gender"))
    with (out / "needs_by_goal_and_gender.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            assert truth[(int(r["goal"]), r["gender"])] == [int(r["needs"]), int(r["supporters"])]
    # published.db: same tables, Datasette-friendly names
    conn = sqlite3.connect(out / "published.db")
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"needs_by_goal_and_gender", "about"} <= tables
    n = conn.execute("SELECT count(*) FROM needs_by_goal_and_gender WHERE needs < ?", [K])
    assert n.fetchone()[0] == 0
    conn.close()


def test_record_level_export_is_k_anonymous(node_home, tmp_path, filled):
    db = open_home(node_home).connect()
    settings.set_value(db, "open_data_records", "on")
    summary = opendata.export(db, tmp_path / "o")
    db.close()
    assert summary["records"] > 0
    with (tmp_path / "o" / "needs_records.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == summary["records"]
    assert "text" not in rows[0] and "origin" not in rows[0]
    combos = Counter((r["locality"], r["gender"], r["age_band"], r["groups"], r["period"])
                     for r in rows)  # fmt: skip
    assert min(combos.values()) >= K
    from frictionless import Package

    assert Package(str(tmp_path / "o" / "datapackage.json")).validate().valid


@pytest.mark.parametrize(
    "records, kept",
    [
        # five alike: kept as they are
        ([("a/b/c", "female", "2026-W06")] * 5, {("a/b/c", "2026-W06"): 5}),
        # spread over weeks of one month: generalized to the month
        ([("a/b/c", "female", w) for w in ["2026-W06", "2026-W07", "2026-W08"] * 2],
         {("a/b/c", "2026-02"): 6}),
        # spread over places: the locality is cut a level
        ([("a/b/" + x, "male", "2026-W06") for x in "cdefg"], {("a/b", "2026-02"): 5}),
        # alone for ever: left out
        ([("a/b/c", "female", "2026-W06")] * 4 + [("x/y", "male", "2026-W06")], {}),
    ],
)  # fmt: skip
def test_generalization(records, kept):
    recs = [
        {"locality": loc, "gender": g, "age_band": "25-34", "groups": [], "week": w,
         "goals": [6]} for loc, g, w in records
    ]  # fmt: skip
    out = opendata.k_anonymous_records(recs, K)
    assert Counter((r["locality"], r["period"]) for r in out) == Counter(kept)


def test_download_page_and_zip(signed_in, node_home, filled):
    client = signed_in("analyst")
    page = client.get("/aggregate/open-data").get_data(as_text=True)
    assert "No snapshot has been taken yet" in page
    assert client.get("/aggregate/open-data/package.zip").status_code == 404
    db = open_home(node_home).connect()
    week = opendata.take_weekly_snapshot(db)
    db.close()
    page = client.get("/aggregate/open-data").get_data(as_text=True)
    assert week in page
    r = client.get("/aggregate/open-data/package.zip")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.data)).namelist()
    assert "datapackage.json" in names and "published.db" in names


def test_localities_cli(node_home, tmp_path):
    csv_file = tmp_path / "l.csv"
    csv_file.write_text("code,name_en,name_sw,population\nKE/47/a,Alpha,Alfa,1200\n", "utf-8")
    result = run("localities", "import", "--home", node_home, csv_file)
    assert result.exit_code == 0 and "imported: 1" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name_en\nAlpha\n", "utf-8")
    result = run("localities", "import", "--home", node_home, bad)
    assert result.exit_code != 0 and "'code' column" in result.output
    result = run("localities", "import", "--home", node_home, tmp_path / "missing.csv")
    assert result.exit_code != 0 and "does not exist" in result.output
