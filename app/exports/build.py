"""Build the national-system exports of a node: the protected tables (live, or
frozen with a weekly snapshot), the mapping, and the files. Flask-free."""

import datetime as dt
from pathlib import Path

from app.node import clock, settings
from app.store import export_cells
from app.store import node as node_store

from . import dhis2, mapping, sdmx
from .audit import repair
from .tables import Tables


def protected(fine: dict, k: int, node_locality: str) -> Tables:
    """The export's tables over FINE, protected and audited (app.exports.audit)."""
    tables = Tables(fine, k, node_locality)
    tables.audit = repair(tables)
    return tables


def tables_live(db):
    """The tables of the live data with the node's k (what an analyst's token
    reads from the aggregates API now)."""
    k = settings.get_int(db, "k")
    return protected(export_cells.live(db), k, node_store.get(db)["locality"])


def tables_of_snapshot(db, snap: dict):
    """The tables of weekly snapshot SNAP (None when it was taken by a Sauti that
    did not keep the breakdowns)."""
    fine = export_cells.frozen(db, snap["as_of"])
    if fine is None:
        return None
    return protected(fine, snap["k"], node_store.get(db)["locality"])


def write_all(tables, directory: Path, which=("dhis2", "sdmx"), edited_mapping=None) -> dict:
    """Write the chosen exports of TABLES into DIRECTORY; returns a summary."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    localities = {r["locality"] for r in tables.rows(tables.total_table)}
    categories = {r["category"] for r in tables.rows(tables.total_table)}
    for dims in tables.breakdowns.values():
        localities |= {r["locality"] for r in tables.rows(dims)}
        categories |= {r["category"] for r in tables.rows(dims)}
    used = mapping.merged(mapping.default(localities, categories), edited_mapping)
    stamp = clock.now().astimezone(dt.UTC).replace(microsecond=0).isoformat()
    values = 0
    if "dhis2" in which:
        values = dhis2.write(tables, directory, used, stamp)
    if "sdmx" in which:
        values = sdmx.write(tables, directory, used)
    return {
        "values": values,
        "k": tables.k,
        "withheld": tables.audit.get("withheld", False),
    }
