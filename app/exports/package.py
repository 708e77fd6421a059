"""The national-system exports inside the open-data package (app.aggregate.opendata):
the Frictionless data package v2 form, the office's locality codes in locality
columns, and the DHIS2 and SDMX files of the snapshot when open_data is on."""

import json

from app.node import settings
from app.store import settings as setting_store

from . import build

SCHEMA = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_SCHEMA = "https://datapackage.org/profiles/2.0/dataresource.json"
SAVED = "export_mapping"  # the settings row holding the office's mapping (not a setting)


def saved_mapping(db) -> dict | None:
    """The mapping last given with `sauti export dhis2 --mapping` (or None)."""
    raw = setting_store.get(db, SAVED)
    return json.loads(raw) if raw else None


def save_mapping(db, edited: dict) -> None:
    setting_store.put(db, SAVED, json.dumps(edited, ensure_ascii=False, sort_keys=True))


def locality_codes(db) -> dict:
    return (saved_mapping(db) or {}).get("localities", {})


def map_rows(rows: list[dict], codes: dict) -> list[dict]:
    """ROWS with each locality replaced by the office's code where it has one."""
    if not codes:
        return rows
    return [dict(r, locality=codes.get(r["locality"], r["locality"])) if "locality" in r else r
            for r in rows]  # fmt: skip


def v2(package: dict) -> dict:
    """PACKAGE (a v1 tabular package) in the form of data package v2."""
    package.pop("profile", None)
    out = {"$schema": SCHEMA, **package}
    for resource in out["resources"]:
        if resource.pop("profile", None) == "tabular-data-resource":
            resource["type"] = "table"
    return out


SDMX_FIELDS = [
    {"name": "STRUCTURE", "type": "string", "description": "SDMX-CSV: always dataflow."},
    {"name": "STRUCTURE_ID", "type": "string", "description": "The SDG data structure's flow."},
    {"name": "ACTION", "type": "string", "description": "I: information (insert or replace)."},
    {"name": "FREQ", "type": "string", "description": "M: monthly."},
    {"name": "SERIES", "type": "string", "description": "SAUTI_NEEDS_<category>."},
    {"name": "REF_AREA", "type": "string", "description": "Locality (or the office's code)."},
    {"name": "SEX", "type": "string", "description": "F, M, _O, _U; _T total."},
    {"name": "AGE", "type": "string", "description": "Y0T14 ... Y_GE65, _U; _T total."},
    {"name": "TIME_PERIOD", "type": "string", "description": "YYYY-MM."},
    {"name": "OBS_VALUE", "type": "integer", "description": "Needs counted (k and suppression "
     "as in the aggregates)."},
]  # fmt: skip


def add_national(db, directory, snap: dict, resources: list[dict]) -> bool:
    """When open_data is on: write the snapshot's DHIS2 and SDMX files into
    DIRECTORY and list them in RESOURCES. False when off or when the snapshot
    was taken before snapshots kept the breakdowns."""
    if settings.get(db, "open_data") != "on":
        return False
    tables = build.tables_of_snapshot(db, snap)
    if tables is None:
        return False
    build.write_all(tables, directory, ("dhis2", "sdmx"), saved_mapping(db))
    resources.append(
        {"name": "sdmx", "path": "sdmx.csv", "type": "table", "format": "csv",
         "mediatype": "text/csv", "encoding": "utf-8",
         "title": "Needs by locality, month and category (SDMX-CSV 2.0, SDG dimensions)",
         "schema": {"fields": SDMX_FIELDS}}
    )  # fmt: skip
    for name, path, media in (("dhis2_adx", "adx.xml", "application/adx+xml"),
                              ("dhis2_datavaluesets", "dataValueSets.json", "application/json"),
                              ("dhis2_mapping", "mapping.json", "application/json")):  # fmt: skip
        resources.append({"name": name, "path": path, "mediatype": media,
                          "title": "DHIS2 import file (see docs/exports.md)"})  # fmt: skip
    return True

