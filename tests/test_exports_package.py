"""The national-system exports in the open-data package (data package v2, the
office's locality codes) and on the open-data page."""

import datetime as dt
import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from app.cli import main
from app.node import settings
from app.node.home import open_home
from tests import aggregate_data as data
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS


@pytest.fixture
def filled(node_home):
    db = open_home(node_home).connect()
    locs = data.tree("KE/47/westlands/kangemi", 2, 1, 1)
    weeks = data.weeks(dt.date(2026, 2, 2), 4)
    data.insert_shared(db, data.shared_rows(150, locs, weeks, seed=7))
    settings.set_value(db, "k", "3")
    db.close()


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _set(node_home, key, value):
    db = open_home(node_home).connect()
    settings.set_value(db, key, value)
    db.close()


def test_package_is_v2_with_national_files_and_mapped_localities(node_home, tmp_path, filled):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"localities": {"KE/47/westlands/kangemi/d1": "KE047D1"}}))
    assert run("export", "dhis2", "--home", node_home, tmp_path / "d", "--mapping", mapping
               ).exit_code == 0  # fmt: skip
    _set(node_home, "open_data", "on")
    out = tmp_path / "open"
    result = run("export", "open-data", "--home", node_home, out)
    assert result.exit_code == 0, result.output
    package = json.loads((out / "datapackage.json").read_text())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert "profile" not in package
    tables = [r for r in package["resources"] if r.get("type") == "table"]
    assert tables and all("profile" not in r for r in package["resources"])
    names = {r["name"] for r in package["resources"]}
    assert {"sdmx", "dhis2_adx", "dhis2_datavaluesets", "dhis2_mapping"} <= names
    for name in ("sdmx.csv", "adx.xml", "dataValueSets.json", "mapping.json"):
        assert (out / name).exists()
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    localities = (out / "needs_by_locality5.csv").read_text()
    assert "KE047D1" in localities and "KE/47/westlands/kangemi/d1\n" not in localities
    assert "KE047D1" in (out / "sdmx.csv").read_text()


def test_without_open_data_the_package_has_no_national_files(node_home, tmp_path, filled):
    out = tmp_path / "open"
    assert run("export", "open-data", "--home", node_home, out).exit_code == 0
    assert not (out / "sdmx.csv").exists()
    package = json.loads((out / "datapackage.json").read_text())
    assert "sdmx" not in {r["name"] for r in package["resources"]}


def test_open_data_page_offers_both(node_home, tmp_path, filled, api):
    assert run("export", "open-data", "--home", node_home, tmp_path / "o").exit_code == 0
    client, headers = api("analyst")
    page = client.get("/aggregate/open-data", headers=headers)
    assert page.status_code == 200
    assert b"/open-data/dhis2.zip" in page.data and b"/open-data/sdmx.zip" in page.data
    answer = client.get("/aggregate/open-data/dhis2.zip", headers=headers)
    assert answer.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(answer.data)).namelist()
    assert sorted(names) == ["adx.xml", "dataValueSets.json", "mapping.json"]
    answer = client.get("/aggregate/open-data/sdmx.zip", headers=headers)
    assert zipfile.ZipFile(io.BytesIO(answer.data)).namelist() == ["sdmx.csv"]
    assert client.get("/aggregate/open-data/other.zip", headers=headers).status_code == 404
    client, headers = api("facilitator")
    assert client.get("/aggregate/open-data/dhis2.zip", headers=headers).status_code == 403
