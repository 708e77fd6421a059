"""Published participation beyond needs: meeting attendance by gender and by age
band (people counted, suppressed with k and protected against subtraction like
the needs' aggregates: app.privacy.disclosure), and action plans' progress (actions
by status, and how many were done by their due week). Own and received records
(parents receive them in the shared tables). Flask-free: the API and the
open-data package use it."""

from collections import defaultdict
from pathlib import Path

from app.privacy import disclosure
from app.store import aggregates as store

BREAKDOWNS = ("gender", "age_band")


def attendance_publisher(db, k: int) -> disclosure.Publisher:
    """A Publisher over people at meetings: base dims locality, gender, age_band
    (one breakdown at a time, as meetings record them)."""
    by_gender, by_age, _meetings = store.attendance(db)
    sources = {"gender": by_gender, "age_band": by_age}

    def fetch(dims):
        out: dict = defaultdict(lambda: [0, 0])
        breakdown = next((d for d in dims if d in sources), None)
        source = sources[breakdown or "gender"]
        for (loc, value), people in source.items():
            if people <= 0:
                continue
            key = tuple(loc if d == "locality" else value for d in dims)
            out[key][0] += people
        return dict(out)

    return disclosure.Publisher(fetch, k)


def attendance(db, node_locality: str, by: str, k: int) -> dict:
    """{"k", "by", "rows": [{"locality", BY, "people"}], "suppressed"} for the
    localities one level below the node."""
    if by not in BREAKDOWNS:
        raise disclosure.DimensionError("by must be gender or age_band.")
    level = f"locality:{disclosure.depth(node_locality) + 1}"
    rows, suppressed = attendance_publisher(db, k).publish((level, by))
    for r in rows:
        r["people"] = r.pop("needs")
        r.pop("supporters", None)
    return {"k": k, "by": ["locality", by], "rows": rows, "suppressed": suppressed}


def progress(db, node_locality: str) -> dict:
    """{"rows": [{"locality", "status", "actions", "done_on_time"}]}: action plans'
    progress by locality one level below the node (council decisions, not people:
    no suppression)."""
    n = disclosure.depth(node_locality) + 1
    cells: dict = defaultdict(lambda: [0, 0])
    for a in store.actions(db):
        key = (disclosure.prefix(a["locality"], n), a["status"])
        cells[key][0] += 1
        due, done = a.get("due_week"), a.get("done_week")
        if done and due and done <= due:
            cells[key][1] += 1
    return {"rows": [{"locality": loc, "status": status, "actions": c[0], "done_on_time": c[1]}
                     for (loc, status), c in sorted(cells.items())]}  # fmt: skip


FIELDS = {
    "locality": {"name": "locality", "type": "string", "description": "Locality code."},
    "gender": {"name": "gender", "type": "string", "description": "female, male, other or undisclosed."},
    "age_band": {"name": "age_band", "type": "string", "description": "Age band: 0-14 ... 65+, undisclosed."},
    "people": {"name": "people", "type": "integer", "description": "People at meetings (counts below k left out, with complementary cells)."},
    "status": {"name": "status", "type": "string", "description": "Action status."},
    "actions": {"name": "actions", "type": "integer", "description": "Actions of the councils' plans."},
    "done_on_time": {"name": "done_on_time", "type": "integer", "description": "Of these, done by their due week."},
}  # fmt: skip


def add_to_package(db, directory: Path, node_locality: str, k: int, resources: list, write_rows):
    """Write attendance (by gender, by age band) and action progress into the
    open-data package; WRITE_ROWS(path, header, rows) is the package's CSV writer."""
    tables = [(f"meeting_attendance_by_{by}", attendance(db, node_locality, by, k)["rows"],
               ["locality", by, "people"]) for by in BREAKDOWNS]  # fmt: skip
    tables.append(("action_progress", progress(db, node_locality)["rows"],
                   ["locality", "status", "actions", "done_on_time"]))  # fmt: skip
    for name, rows, names in tables:
        write_rows(Path(directory) / f"{name}.csv", names, [[r[c] for c in names] for r in rows])
        resources.append(
            {"name": name, "path": f"{name}.csv", "type": "table", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8",
             "title": name.replace("_", " ").capitalize(),
             "schema": {"fields": [FIELDS[c] for c in names],
                        "primaryKey": names[:2]}}
        )  # fmt: skip
