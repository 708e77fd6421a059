"""Generated needs for the aggregate tests, screenshots and benchmark: own needs
(some hidden, some merged) and shared needs from a tree of localities, plus
an independent plain-Python count to check the app's queries against."""

import datetime as dt
import json
import random
import uuid
from collections import defaultdict

from app.store import needs as needs_store
from schema import vocab

CATEGORIES = {
    "water": [6], "health": [3], "education": [4], "roads": [9, 11], "jobs": [8, 1],
    "food": [2], "energy": [7], "safety": [16], "environment": [13, 15], "housing": [11],
    "other": [],
}  # fmt: skip
GENDERS = ["female"] * 5 + ["male"] * 4 + ["other", "undisclosed"]
GROUPS = ["disability", "displaced", "indigenous", "minority", "migrant", "low-income", "other"]


def weeks(start: dt.date, count: int) -> list[str]:
    out = []
    for i in range(count):
        y, w, _ = (start + dt.timedelta(weeks=i)).isocalendar()
        out.append(f"{y}-W{w:02d}")
    return out


def tree(root: str, districts: int, wards: int, villages: int) -> list[str]:
    """Locality paths under ROOT: districts, wards, villages (leaves and some inner)."""
    paths = []
    for d in range(1, districts + 1):
        for w in range(1, wards + 1):
            for v in range(1, villages + 1):
                paths.append(f"{root}/d{d}/w{w}/v{v}")
            paths.append(f"{root}/d{d}/w{w}")
    return paths


def record(rnd: random.Random, locality: str, week: str, skew: float = 0.0) -> dict:
    category = rnd.choice(list(CATEGORIES))
    if skew and rnd.random() < skew:
        category = "water"
    goals = list(CATEGORIES[category])
    if rnd.random() < 0.2:
        goals = sorted(set(goals) | {rnd.choice(vocab.GOALS)})
    groups = []
    if rnd.random() < 0.35:
        groups = sorted(rnd.sample(GROUPS, rnd.choice([1, 1, 2])))
    return {
        "language": rnd.choice(["sw", "en", "ar"]),
        "category": category,
        "goals": goals,
        "locality": locality,
        "gender": rnd.choice(GENDERS),
        "age_band": rnd.choice(vocab.AGE_BANDS),
        "groups": groups,
        "channel": rnd.choice(vocab.CHANNELS),
        "supporters": rnd.choice([1, 1, 1, 2, 3, 5, 12]),
        "status": rnd.choice(
            ["new", "new", "accepted", "planned", "resolved", "set_aside", "merged"]
        ),
        "week": week,
    }


def shared_rows(n: int, localities: list[str], week_list: list[str], seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        loc = rnd.choice(localities)
        rec = record(rnd, loc, rnd.choice(week_list), skew=0.3 if loc.endswith("v1") else 0.0)
        rec.update(
            origin="origin-" + (loc.split("/")[2] if loc.count("/") > 1 else "root"),
            key=str(i + 1), seq=i + 1, text=None, merged_into=None, received_at="2026-01-01",
        )  # fmt: skip
        rows.append(rec)
    return rows


def insert_shared(db, rows: list[dict]) -> None:
    """Row by row, through plain INSERTs (the triggers keep the roll-up)."""
    cols = ("origin", "key", "seq", "text", "language", "category", "goals", "locality",
            "gender", "age_band", "groups", "channel", "supporters", "status", "merged_into",
            "week", "received_at")  # fmt: skip
    from app.store.db import write

    with write(db):
        db.conn.executemany(
            f"INSERT INTO shared_needs({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [
                tuple(json.dumps(r[c]) if c in ("goals", "groups") else r[c] for c in cols)
                for r in rows
            ],
        )


def insert_own(
    db, n: int, localities: list[str], week_list: list[str], seed: int = 2
) -> list[dict]:
    """Own needs through the needs store; a tenth hidden (kiosk), some merged."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        rec = record(rnd, rnd.choice(localities), rnd.choice(week_list))
        year, wk = int(rec["week"][:4]), int(rec["week"][6:])
        captured = dt.datetime.combine(
            dt.date.fromisocalendar(year, wk, 3), dt.time(10), dt.UTC
        ).isoformat()
        need = dict(rec, uuid=str(uuid.uuid4()), text="need text", captured_at=captured)
        hidden = rnd.random() < 0.1
        stored, _ = needs_store.insert(db, need, submission_hash="x", hidden=hidden)
        status = rec["status"]
        if status != "new":
            db.execute("UPDATE needs SET status = ? WHERE id = ?", [status, stored["id"]])
        rec["hidden"] = hidden
        rec["week"] = stored["week"]
        out.append(rec)
    return out


def truth(records: list[dict], dims: tuple[str, ...]) -> dict:
    """Independent count: {(value, ...): [needs, supporters]} over counted RECORDS."""
    from schema.weeks import month_of  # only the calendar rule

    def values(rec, dim):
        if dim.startswith("locality:"):
            n = int(dim.split(":")[1])
            return ["/".join(rec["locality"].split("/")[:n])]
        if dim == "goal":
            return rec["goals"]
        if dim == "group":
            return rec["groups"] or ["none"]
        if dim == "month":
            return [month_of(rec["week"])]
        return [rec[dim]]

    out = defaultdict(lambda: [0, 0])
    for rec in records:
        if rec.get("hidden") or rec["status"] == "merged":
            continue
        combos = [()]
        for dim in dims:
            combos = [c + (v,) for c in combos for v in values(rec, dim)]
        for key in combos:
            out[key][0] += 1
            out[key][1] += rec["supporters"]
    return dict(out)


DEMO_NAMES = {
    "d1": ("Kangemi North", "كانجيمي الشمالية", 4200),
    "d2": ("Kangemi South", "كانجيمي الجنوبية", 3900),
    "d3": ("Mountain View", "ماونتن فيو", 2600),
    "d4": ("Gichagi", "جيتشاجي", None),
}


def fill_demo(db, root: str = "KE/47/westlands", needs: int = 2500) -> None:
    """A region-like picture for screenshots and browser tests: four districts
    with names in English and Arabic, needs over four months, meetings."""
    from app.store import localities as register

    locs = tree(root, 4, 3, 2)
    week_list = weeks(dt.date(2026, 1, 5), 16)
    insert_shared(db, shared_rows(needs, locs, week_list, seed=42))
    lines = ["code,name_en,name_ar,population"]
    for d, (en, ar, pop) in DEMO_NAMES.items():
        lines.append(f"{root}/{d},{en},{ar},{pop or ''}")
    register.import_rows(db, register.parse_csv("\n".join(lines) + "\n"))
    rnd = random.Random(5)
    with db.conn:
        for i, d in enumerate(DEMO_NAMES):
            for m in range(3):
                women = rnd.randint(5, 40) if d != "d3" else rnd.randint(2, 6)
                people = [
                    {"gender": "female", "age_band": "25-34", "count": women},
                    {"gender": "male", "age_band": "25-34", "count": rnd.randint(10, 30)},
                    {"gender": "female", "age_band": "15-24", "count": rnd.randint(0, 9)},
                ]
                db.execute(
                    "INSERT INTO shared_meetings(origin, key, seq, locality, week, attendance,"
                    " received_at) VALUES (?, ?, ?, ?, ?, ?, 'x')",
                    [f"origin-{d}", f"m{m}", 10_000 + i * 10 + m, f"{root}/{d}/w1",
                     week_list[m * 4], json.dumps(people)],
                )  # fmt: skip
        for i, (d, goals, status) in enumerate(
            [("d1", [6], "in_progress"), ("d2", [6, 3], "open"), ("d3", [4], "done"),
             ("d4", [11], "in_progress")]
        ):  # fmt: skip
            body = {"key": f"p{i}", "seq": 1, "title": None, "description": None, "goals": goals,
                    "locality": f"{root}/{d}", "rank": i + 1, "status": status, "needs": [],
                    "week": week_list[2]}  # fmt: skip
            db.execute(
                "INSERT INTO shared_priorities(origin, key, seq, body, locality, status, week,"
                " received_at) VALUES (?, ?, 1, ?, ?, ?, ?, 'x')",
                [f"origin-{d}", f"p{i}", json.dumps(body), f"{root}/{d}", status, week_list[2]],
            )
            for j in range(20):
                done = j % 3 != 0
                late = j % 2 == 1 and d == "d3"
                db.execute(
                    "INSERT INTO shared_actions(origin, key, seq, priority, body, status, due_week,"
                    " done_week, received_at) VALUES (?, ?, 1, ?, '{}', ?, ?, ?, 'x')",
                    [f"origin-{d}", f"a{i}-{j}", f"p{i}", "done" if done else "in_progress",
                     week_list[6], week_list[8 if late else 5] if done else None],
                )  # fmt: skip
