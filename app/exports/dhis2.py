"""DHIS2: IHE ADX (adx.xml), dataValueSets.json and the mapping used (mapping.json).

ADX (namespace urn:ihe:qrph:adx:2015): one <group> per orgUnit and period
(`YYYY-MM-DD/P1M`), one <dataValue> per category (its dataElement) with the
total, and one per breakdown value with the attribute SEX or AGE. The JSON is
what DHIS2's /api/dataValueSets takes with idScheme=CODE: periods `YYYYMM`,
the breakdown value (or the mapping's `total`) as categoryOptionCombo."""

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ADX_NS = "urn:ihe:qrph:adx:2015"
ATTRIBUTE = {"gender": ("SEX", "genders"), "age_band": ("AGE", "age_bands")}


def values(tables, used: dict) -> list[dict]:
    """Every published value: {orgUnit, month, dataElement, attribute, option, value}."""
    out = []
    for r in tables.rows(tables.total_table):
        out.append(_value(r, used, None, None))
    for dim, dims in tables.breakdowns.items():
        attribute, key = ATTRIBUTE[dim]
        for r in tables.rows(dims):
            out.append(_value(r, used, attribute, used[key].get(r[dim], r[dim])))
    return out


def _value(r: dict, used: dict, attribute, option) -> dict:
    return {
        "orgUnit": used["localities"].get(r["locality"], r["locality"]),
        "month": r["month"],
        "dataElement": used["categories"].get(r["category"], r["category"]),
        "attribute": attribute,
        "option": option,
        "value": r["needs"],
    }


def adx(rows: list[dict], stamp: str) -> bytes:
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": stamp})
    groups = defaultdict(list)
    for v in rows:
        groups[(v["orgUnit"], v["month"])].append(v)
    for (org_unit, month), members in sorted(groups.items()):
        group = ET.SubElement(
            root, f"{{{ADX_NS}}}group", {"orgUnit": org_unit, "period": f"{month}-01/P1M"}
        )
        for v in members:
            attrs = {"dataElement": v["dataElement"]}
            if v["attribute"]:
                attrs[v["attribute"]] = v["option"]
            attrs["value"] = str(v["value"])
            ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def data_value_sets(rows: list[dict], used: dict) -> dict:
    return {
        "dataValues": [
            {
                "dataElement": v["dataElement"],
                "period": v["month"].replace("-", ""),
                "orgUnit": v["orgUnit"],
                "categoryOptionCombo": v["option"] or used["total"],
                "value": str(v["value"]),
            }
            for v in rows
        ]
    }


def write(tables, directory: Path, used: dict, stamp: str) -> int:
    rows = values(tables, used)
    (directory / "adx.xml").write_bytes(adx(rows, stamp))
    _json(directory / "dataValueSets.json", data_value_sets(rows, used))
    _json(directory / "mapping.json", used)
    return len(rows)


def _json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
