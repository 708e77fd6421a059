"""sauti export dhis2 / sdmx: files as the contract says, values only where the
aggregates publish them, an edited mapping applied, operator mistakes as sentences."""

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from app.cli import main
from app.exports import build
from app.node import settings
from app.node.home import open_home
from tests import aggregate_data as data
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

ADX = "{urn:ihe:qrph:adx:2015}"
XSD = Path(__file__).parent / "data" / "adx.xsd"


@pytest.fixture
def filled(node_home):
    db = open_home(node_home).connect()
    locs = data.tree("KE/47/westlands/kangemi", 2, 2, 1)
    weeks = data.weeks(dt.date(2026, 2, 2), 6)
    data.insert_shared(db, data.shared_rows(200, locs, weeks, seed=16))
    settings.set_value(db, "k", "3")
    db.close()


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_dhis2_files_follow_the_contract(node_home, tmp_path, filled):
    out = tmp_path / "dhis2"
    result = run("export", "dhis2", "--home", node_home, out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["adx.xml", "dataValueSets.json", "mapping.json"]
    xmlschema.XMLSchema(XSD).validate(out / "adx.xml")
    root = ET.parse(out / "adx.xml").getroot()
    assert root.tag == ADX + "adx"
    groups = root.findall(ADX + "group")
    assert groups and all(g.get("period").endswith("-01/P1M") for g in groups)
    assert len({(g.get("orgUnit"), g.get("period")) for g in groups}) == len(groups)
    attrs = {a for g in groups for v in g for a in v.attrib}
    assert {"dataElement", "value", "SEX", "AGE"} <= attrs
    for g in groups:
        for v in g:
            assert not ({"SEX", "AGE"} <= set(v.attrib))  # breakdowns, not crossed
    body = json.loads((out / "dataValueSets.json").read_text())
    first = body["dataValues"][0]
    assert set(first) == {"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}
    assert all(len(v["period"]) == 6 and v["period"].isdigit() for v in body["dataValues"])
    mapping = json.loads((out / "mapping.json").read_text())
    assert mapping["genders"]["female"] == "F" and mapping["age_bands"]["15-24"] == "Y15T24"
    assert all(loc.startswith("KE/47/westlands/kangemi/") for loc in mapping["localities"])


def test_only_published_values_and_never_zero(node_home, tmp_path, filled):
    out = tmp_path / "d"
    assert run("export", "dhis2", "--home", node_home, out).exit_code == 0
    db = open_home(node_home).connect()
    tables = build.tables_live(db)
    db.close()
    body = json.loads((out / "dataValueSets.json").read_text())
    assert all(int(v["value"]) >= tables.k for v in body["dataValues"])
    totals = {(r["locality"], r["month"].replace("-", ""), r["category"].upper()): r["needs"]
              for r in tables.rows(tables.total_table)}  # fmt: skip
    got = {(v["orgUnit"], v["period"], v["dataElement"]): int(v["value"])
           for v in body["dataValues"] if v["categoryOptionCombo"] == "_T"}  # fmt: skip
    assert got == totals
    assert tables.suppressed(tables.total_table) > 0  # the data has small cells
    hidden = tables.hidden(tables.breakdowns["gender"])
    shown = {(v["orgUnit"], v["period"], v["dataElement"], v["categoryOptionCombo"])
             for v in body["dataValues"]}  # fmt: skip
    for loc, month, cat, gender in hidden:
        sex = {"female": "F", "male": "M", "other": "_O", "undisclosed": "_U"}[gender]
        assert (loc, month.replace("-", ""), cat.upper(), sex) not in shown


def test_an_edited_mapping_is_applied(node_home, tmp_path, filled):
    first = tmp_path / "a"
    assert run("export", "dhis2", "--home", node_home, first).exit_code == 0
    mapping = json.loads((first / "mapping.json").read_text())
    loc = sorted(mapping["localities"])[0]
    edited = {"localities": {loc: "KE047W01"}, "categories": {"water": "DE_WATER"},
              "genders": {"female": "FEM"}, "total": "default"}  # fmt: skip
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(edited))
    second = tmp_path / "b"
    assert run("export", "dhis2", "--home", node_home, second, "--mapping", path).exit_code == 0
    body = json.loads((second / "dataValueSets.json").read_text())["dataValues"]
    assert "KE047W01" in {v["orgUnit"] for v in body}
    assert loc not in {v["orgUnit"] for v in body}
    assert "FEM" in {v["categoryOptionCombo"] for v in body}
    assert "default" in {v["categoryOptionCombo"] for v in body}
    used = json.loads((second / "mapping.json").read_text())
    assert used["localities"][loc] == "KE047W01" and used["genders"]["male"] == "M"


@pytest.mark.parametrize("content", ["not json", "[1]", '{"localities": {"a": 3}}', '{"total": ""}'])
def test_a_bad_mapping_is_one_sentence(node_home, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = run("export", "dhis2", "--home", node_home, tmp_path / "x", "--mapping", path)
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "mapping" in result.output


def test_sdmx_csv(node_home, tmp_path, filled):
    out = tmp_path / "s"
    result = run("export", "sdmx", "--home", node_home, out)
    assert result.exit_code == 0, result.output
    with (out / "sdmx.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "SERIES", "REF_AREA",
                       "SEX", "AGE", "TIME_PERIOD", "OBS_VALUE"]  # fmt: skip
    body = rows[1:]
    assert body and {r[3] for r in body} == {"M"}
    assert {r[6] for r in body} <= {"F", "M", "_O", "_U", "_T"}
    assert {r[7] for r in body} <= {"Y0T14", "Y15T24", "Y25T34", "Y35T44", "Y45T54", "Y55T64",
                                     "Y_GE65", "_U", "_T"}  # fmt: skip
    assert not any(r[6] != "_T" and r[7] != "_T" for r in body)
    assert all(int(r[9]) >= 3 for r in body)


def test_an_empty_node_exports_empty_files(node_home, tmp_path):
    assert run("export", "sdmx", "--home", node_home, tmp_path / "e").exit_code == 0
    assert run("export", "dhis2", "--home", node_home, tmp_path / "f").exit_code == 0
    xmlschema.XMLSchema(XSD).validate(tmp_path / "f" / "adx.xml")
