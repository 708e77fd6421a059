"""Disparity indicators per locality, next to the peers' median (no Flask).

Every number comes out of a disclosure-controlled table (app.privacy.disclosure):
a share whose numerator or denominator is hidden is shown as hidden.
Localities are listed by path, never ranked.
"""

import datetime as dt
from collections import defaultdict

from app.aggregate import opendata
from app.privacy import disclosure
from app.store import aggregates as store
from schema import weeks

FAR = 0.10  # a group is "far from the median" at 10 percentage points or more
FAR_RATIO = 0.5  # for rates (supporters per meeting): half the median or more
GROUP_LENSES = (
    ("gender", "female"),
    ("age_band", "15-24"),
    ("group", "disability"),
    ("group", "displaced"),
)


def indicator_codes(categories: list[str]) -> list[str]:
    return (
        [f"category:{c}" for c in categories]
        + [f"goal:{g}" for g in range(1, 18)]
        + ["supporters_per_meeting", "women_attendance", "actions_on_time"]
    )


def _custom(cells: dict[tuple, int], dims_names: tuple[str, str], k: int) -> disclosure.Publisher:
    """A Publisher over counts that are not needs (people at meetings, actions)."""
    a = dims_names[0]

    def fetch(dims):
        out: dict = defaultdict(lambda: [0, 0])
        for (va, vb), n in cells.items():
            key = tuple(va if d == a else vb for d in dims)
            out[key][0] += n
            out[key][1] += n
        return {key: v for key, v in out.items() if v[0] > 0}

    return disclosure.Publisher(fetch, k, total_dim=a)


def _peer_medians(values: dict[str, float | None]) -> dict[str, float | None]:
    """Median of each locality's siblings (same parent path), itself included."""
    by_parent = defaultdict(list)
    for loc, v in values.items():
        by_parent[loc.rsplit("/", 1)[0]].append(v)
    return {loc: disclosure.median(by_parent[loc.rsplit("/", 1)[0]]) for loc in values}


def _share_rows(pub, level, num_dims, code, *, measure=0):
    """{locality: (numerator, denominator)} from published tables (None when hidden)."""
    loc = f"locality:{level}"
    totals = {r["locality"]: r for r in pub.table((loc,))}
    cells = {(r["locality"], r[disclosure.key_name(num_dims)]): r
             for r in pub.table((loc, num_dims))}  # fmt: skip
    field = ("needs", "supporters")[measure]
    out = {}
    for path, total in totals.items():
        cell = cells.get((path, code))
        num = 0 if cell is None else cell[field]
        out[path] = (num, total[field])
    return out


def disparity(db, indicator: str, level: int, k: int, today: dt.date | None = None) -> dict:
    """Rows of one indicator at locality depth LEVEL: [{locality, value, numerator,
    denominator, median, gap, far, groups: {lens: {value, median, gap, far}}}]."""
    pub = opendata.publisher(db, k)
    groups: dict[str, dict] = {}
    kind = "share"
    if indicator.startswith(("category:", "goal:")):
        dim, code = indicator.split(":", 1)
        code = int(code) if dim == "goal" else code
        pairs = _share_rows(pub, level, dim, code)
        for lens_dim, lens_code in GROUP_LENSES:
            groups[f"{lens_dim}:{lens_code}"] = _share_rows(pub, level, lens_dim, lens_code)
    elif indicator == "women_attendance":
        by_gender, by_age, _meetings = store.attendance(db)
        gpub = _custom(_at_level(by_gender, level), ("locality", "gender"), k)
        pairs = _share_rows(gpub, level, "gender", "female")
        apub = _custom(_at_level(by_age, level), ("locality", "age_band"), k)
        groups["age_band:15-24"] = _share_rows(apub, level, "age_band", "15-24")
    elif indicator == "supporters_per_meeting":
        kind = "rate"
        _g, _a, meetings = store.attendance(db)
        per_loc = defaultdict(int)
        for path, n in meetings.items():
            per_loc[disclosure.prefix(path, level)] += n
        at_meetings = _share_rows(pub, level, "channel", "meeting", measure=1)
        pairs = {path: (num, per_loc.get(path) or None) for path, (num, _t) in at_meetings.items()}
    elif indicator == "actions_on_time":
        week = weeks.current_week(today)
        cells: dict = defaultdict(int)
        for a in store.actions(db):
            if not a["locality"] or not a["due_week"]:
                continue
            done = a["status"] == "done"
            if not done and a["due_week"] >= week:
                continue  # not due yet: neither on time nor late
            on_time = done and a["done_week"] is not None and a["done_week"] <= a["due_week"]
            cells[(disclosure.prefix(a["locality"], level), "yes" if on_time else "no")] += 1
        apub = _custom(dict(cells), ("locality", "on_time"), k)
        pairs = _share_rows(apub, level, "on_time", "yes")
    else:
        raise ValueError(indicator)

    values = {p: _ratio(n, d) for p, (n, d) in pairs.items()}
    medians = _peer_medians(values)
    rows = []
    for path in sorted(values):
        value, med = values[path], medians[path]
        row = {
            "locality": path,
            "numerator": pairs[path][0],
            "denominator": pairs[path][1],
            "value": value,
            "median": med,
            "gap": None if value is None or med is None else value - med,
            "groups": {},
        }
        row["far"] = _far(row["gap"], med, kind)
        rows.append(row)
    for lens, lens_pairs in groups.items():
        lv = {p: _ratio(n, d) for p, (n, d) in lens_pairs.items()}
        lm = _peer_medians(lv)
        for row in rows:
            v, m = lv.get(row["locality"]), lm.get(row["locality"])
            gap = None if v is None or m is None else v - m
            row["groups"][lens] = {
                "value": v,
                "median": m,
                "gap": gap,
                "far": _far(gap, m, "share"),
            }
    return {"rows": rows, "kind": kind, "lenses": list(groups)}


def _at_level(cells: dict[tuple[str, str], int], level: int) -> dict:
    out: dict = defaultdict(int)
    for (path, code), n in cells.items():
        out[(disclosure.prefix(path, level), code)] += n
    return dict(out)


def _ratio(num, den):
    if num is None or den in (None, 0):
        return None
    return num / den


def _far(gap, median, kind) -> bool:
    if gap is None:
        return False
    if kind == "rate":
        return median is not None and median > 0 and abs(gap) >= FAR_RATIO * median
    return abs(gap) >= FAR
