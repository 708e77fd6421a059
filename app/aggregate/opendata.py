"""Published aggregates: the API answer, weekly snapshots, and the open-data
export (CSV + Frictionless datapackage.json + a Datasette-ready published.db).
Flask-free: used by the API, the pages, the CLI and the scheduler.
"""

import datetime as dt
import json
import logging
import sqlite3
from collections import Counter
from itertools import combinations
from pathlib import Path

from app.exports import package as national
from app.exports.csv_out import write_rows
from app.node import settings
from app.privacy import csv_cells, disclosure
from app.store import aggregates as store
from app.store import node as node_store
from schema.weeks import current_week, month_of

from . import participation

log = logging.getLogger(__name__)


def publisher(db, k: int, as_of: str | None = None) -> disclosure.Publisher:
    """A Publisher over the live roll-up, or over snapshot AS_OF."""
    return disclosure.Publisher(lambda dims: store.cells(db, dims, as_of), k, levels=True)


def answer(db, by: str | None, *, live: bool) -> dict:
    """The JSON answer of GET /api/v1/aggregates (raises DimensionError, or
    LookupError when the public asks and there is no snapshot yet)."""
    node = node_store.get(db)
    dims = disclosure.parse_dims(by, node["locality"])
    if live:
        k, as_of, snap = settings.get_int(db, "k"), current_week(), None
    else:
        latest = store.latest_snapshot(db)
        if latest is None:
            raise LookupError("no snapshot")
        k, as_of, snap = latest["k"], latest["as_of"], latest["as_of"]
    rows, suppressed = publisher(db, k, snap).publish(dims)
    names = [p.strip() for p in by.split(",") if p.strip()]
    return {"k": k, "by": names, "as_of": as_of, "rows": rows, "suppressed": suppressed}


def take_weekly_snapshot(db, today: dt.date | None = None) -> str:
    """Take this week's snapshot if it is not taken yet; returns its week."""
    week = current_week(today)
    if store.take_snapshot(db, week, settings.get_int(db, "k")):
        log.info("aggregate snapshot %s taken", week)
    return week


def weekly_snapshot(home) -> None:
    """Daily check; a week's snapshot is taken once, on the first run of the week."""
    db = home.connect()
    try:
        if settings.get(db, "open_data") == "on":
            take_weekly_snapshot(db)
    finally:
        db.close()


# -- the open-data package ----------------------------------------------------------

DIM_FIELDS = {
    "locality": ("string", "Locality code: a '/'-separated path (e.g. KE/47/westlands)."),
    "category": ("string", "Need category code of the capturing node (e.g. water)."),
    "goal": ("integer", "UN Sustainable Development Goal number, 1-17."),
    "gender": ("string", "female, male, other or undisclosed."),
    "age_band": ("string", "Age band: 0-14, 15-24, ..., 65+, undisclosed."),
    "group": ("string", "Group code (disability, displaced, ...); none for no group."),
    "channel": ("string", "How the need was raised: meeting, facilitator, self, paper, sms."),
    "status": ("string", "Need status: new, accepted, set_aside, planned, resolved."),
    "week": ("string", "ISO week of capture, YYYY-Www."),
    "month": ("string", "YYYY-MM: the month of the capture week's Thursday."),
}
PUBLISHED_DIMS = ("category", "goal", "gender", "age_band", "group", "channel", "status",
                  "week", "month")  # fmt: skip


def table_list(node_locality: str, deepest: int) -> list[tuple[str, ...]]:
    """Every table the export publishes: each dimension alone and each allowed pair,
    locality at every level from the node's own level + 1 to the deepest."""
    start = disclosure.depth(node_locality) + 1
    locs = [f"locality:{n}" for n in range(start, max(start, deepest) + 1)]
    dims = locs + list(PUBLISHED_DIMS)
    tables = [(d,) for d in dims]
    for a, b in combinations(dims, 2):
        if disclosure.family(a) != disclosure.family(b):
            tables.append((a, b))
    return tables


def resource_name(dims: tuple[str, ...]) -> str:
    return "needs_by_" + "_and_".join(d.replace(":", "") for d in dims)


def _schema(dims: tuple[str, ...]) -> dict:
    fields = []
    for d in dims:
        kind, text = DIM_FIELDS[disclosure.key_name(d)]
        if d.startswith("locality:"):
            text += f" First {d[9:]} segments of the path."
        fields.append({"name": disclosure.key_name(d), "type": kind, "description": text})
    fields += [
        {"name": "needs", "type": "integer", "description": "Needs counted (merged needs not "
         "counted; a need counts once under each of its goals and groups).",
         "constraints": {"minimum": 0}},
        {"name": "supporters", "type": "integer", "description": "People who raised or backed "
         "these needs.", "constraints": {"minimum": 0}},
    ]  # fmt: skip
    return {"fields": fields, "primaryKey": [f["name"] for f in fields[: len(dims)]]}


RECORD_SCHEMA = {
    "fields": [
        {"name": "language", "type": "string", "description": "BCP 47 language tag."},
        {"name": "category", "type": "string", "description": DIM_FIELDS["category"][1]},
        {"name": "goals", "type": "string", "description": "SDG numbers separated by ';'."},
        {"name": "locality", "type": "string",
         "description": DIM_FIELDS["locality"][1] + " May be cut to a higher level."},
        {"name": "gender", "type": "string", "description": DIM_FIELDS["gender"][1]},
        {"name": "age_band", "type": "string", "description": DIM_FIELDS["age_band"][1]},
        {"name": "groups", "type": "string", "description": "Group codes separated by ';'."},
        {"name": "channel", "type": "string", "description": DIM_FIELDS["channel"][1]},
        {"name": "supporters", "type": "string",
         "description": "People behind the need: a number, or a band (2-4, 5-9, 10-49, 50+) "
         "where generalized."},
        {"name": "status", "type": "string", "description": DIM_FIELDS["status"][1]},
        {"name": "period", "type": "string",
         "description": "ISO week (YYYY-Www), or month (YYYY-MM) where generalized."},
    ]
}  # fmt: skip


SUPPORTER_BANDS = ((1, 1, "1"), (2, 4, "2-4"), (5, 9, "5-9"), (10, 49, "10-49"))


def supporters_band(n) -> str:
    for low, high, label in SUPPORTER_BANDS:
        if low <= int(n) <= high:
            return label
    return "50+"


def _published(r: dict) -> tuple:
    """Every published value of a record (each one a quasi-identifier)."""
    return tuple(
        tuple(v) if isinstance(v, list) else v
        for v in (r.get(f["name"]) for f in RECORD_SCHEMA["fields"])
    )


def k_anonymous_records(records: list[dict], k: int) -> list[dict]:
    """Records whose published values (every column: language, category, goals,
    locality, gender, age band, groups, channel, supporters, status, period) are
    shared by at least K records: first as they are (week), then week cut to month,
    then supporters cut to a band (2-4, 5-9...), then channel and status left blank,
    then the locality cut one level at a time, then language, supporters and groups
    left blank; what never reaches K is left out. A blank value means "withheld"."""
    pending = [dict(r, period=r["week"]) for r in records]
    out = []
    steps = (
        [("month", None), ("band", None), ("blank", "channel"), ("blank", "status")]
        + [("loc", n) for n in range(12, 0, -1)]
        + [("blank", "language"), ("blank", "supporters"), ("blank", "groups")]
    )
    for step in [None, *steps]:
        if step is not None:
            kind, n = step
            for r in pending:
                if kind == "month" and len(r["period"]) == 8:
                    r["period"] = month_of(r["period"])
                elif kind == "band" and isinstance(r.get("supporters"), int):
                    r["supporters"] = supporters_band(r["supporters"])
                elif kind == "loc":
                    r["locality"] = disclosure.prefix(r["locality"], n)
                elif kind == "blank" and n in r:
                    r[n] = [] if isinstance(r[n], list) else ""
        counts = Counter(_published(r) for r in pending)
        out += [r for r in pending if counts[_published(r)] >= k]
        pending = [r for r in pending if counts[_published(r)] < k]
    for r in out:
        r.pop("week", None)
        if "supporters" in r:
            r["supporters"] = str(r["supporters"])
    return out


def export(db, directory: Path, today: dt.date | None = None) -> dict:
    """Write the open-data package of the latest snapshot (taking this week's
    first if it is missing) into DIRECTORY. Returns a summary."""
    take_weekly_snapshot(db, today)
    return write_package(db, directory, store.latest_snapshot(db))


def write_package(db, directory: Path, snap: dict) -> dict:
    """Write the package of snapshot SNAP into DIRECTORY (reads only)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    node = node_store.get(db)
    k = snap["k"]
    pub = publisher(db, k, snap["as_of"])
    deepest = max((disclosure.depth(loc) for (loc,) in pub.raw(("locality",))), default=1)
    resources, tables = [], {}
    codes = national.locality_codes(db)
    for dims in table_list(node["locality"], deepest):
        rows, _suppressed = pub.publish(dims)
        rows = national.map_rows(rows, codes)
        name = resource_name(dims)
        tables[name] = (dims, rows)
        path = directory / f"{name}.csv"
        names = [disclosure.key_name(d) for d in dims] + ["needs", "supporters"]
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv_cells.writer(f)
            writer.writerow(names)
            writer.writerows([[r[c] for c in names] for r in rows])
        resources.append(
            {
                "name": name,
                "path": path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "Needs by " + " and ".join(dims),
                "schema": _schema(dims),
            }
        )
    records = []
    if settings.get(db, "open_data_records") == "on":
        records = k_anonymous_records(store.shared_records(db), k)
        names = [f["name"] for f in RECORD_SCHEMA["fields"]]
        with (directory / "needs_records.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv_cells.writer(f)
            writer.writerow(names)
            for r in records:
                row = dict(r, goals=";".join(map(str, r["goals"])), groups=";".join(r["groups"]))
                writer.writerow([row[c] for c in names])
        resources.append(
            {"name": "needs_records", "path": "needs_records.csv",
             "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "title": "Needs, one record each (k-anonymous, generalized)",
             "schema": RECORD_SCHEMA}
        )  # fmt: skip
    national.add_national(db, directory, snap, resources)
    participation.add_to_package(db, directory, node["locality"], k, resources, write_rows)
    package = {
        "profile": "tabular-data-package",
        "name": "sauti-needs-" + snap["as_of"].lower(),
        "title": f"Citizens' needs raised through Sauti at {node['name']} ({node['locality']})",
        "description": (
            "Participation data, not a representative sample. Counts below "
            f"k={k} are left out, with complementary cells, so no hidden count can be "
            "recovered by subtraction. Weeks are ISO weeks; goals are SDG numbers."
        ),
        "version": snap["as_of"],
        "created": snap["taken_at"],
        "temporalCoverage": {"start": snap["first_week"], "end": snap["last_week"]},
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }  # fmt: skip
    package = national.v2(package)
    (directory / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_published_db(directory / "published.db", tables, records, package)
    return {"as_of": snap["as_of"], "tables": len(tables), "records": len(records), "k": k}


def write_published_db(path: Path, tables: dict, records: list[dict], package: dict) -> None:
    """The published copy as one SQLite file (browse it with: datasette published.db)."""
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    try:
        with conn:
            for name, (dims, rows) in tables.items():
                cols = [disclosure.key_name(d) for d in dims]
                types = ["INTEGER" if c == "goal" else "TEXT" for c in cols]
                conn.execute(
                    f"CREATE TABLE [{name}] ("
                    + ", ".join(f"[{c}] {t}" for c, t in zip(cols, types, strict=True))
                    + ", needs INTEGER, supporters INTEGER, PRIMARY KEY ("
                    + ", ".join(f"[{c}]" for c in cols) + "))"
                )  # fmt: skip
                conn.executemany(
                    f"INSERT INTO [{name}] VALUES ({', '.join('?' * (len(cols) + 2))})",
                    [[r[c] for c in cols] + [r["needs"], r["supporters"]] for r in rows],
                )
            if records:
                names = [f["name"] for f in RECORD_SCHEMA["fields"]]
                conn.execute(f"CREATE TABLE needs_records ({', '.join(names)})")
                conn.executemany(
                    f"INSERT INTO needs_records VALUES ({', '.join('?' * len(names))})",
                    [
                        [";".join(map(str, r[c])) if c in ("goals", "groups") else r[c]
                         for c in names]
                        for r in records
                    ],
                )  # fmt: skip
            conn.execute("CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT)")
            conn.executemany(
                "INSERT INTO about VALUES (?, ?)",
                [(key, package[key] if isinstance(package[key], str) else json.dumps(package[key]))
                 for key in ("name", "title", "description", "version", "created")],
            )  # fmt: skip
    finally:
        conn.close()
