"""The locality register: names per language, population, validity dates.

Imported from CSV with columns `code`, `name_<lang>` (one per language, e.g.
name_en, name_sw, name_ar), optional `population`, `valid_from`, `valid_to`
(YYYY-MM-DD; a renamed or re-parented locality keeps its old code with a
valid_to and gets a new row). Flask-free.
"""

import csv
import datetime as dt
import io
import json
import re

from app.node.clock import now_iso

from .db import all_rows, write

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*$")


class RegisterError(ValueError):
    """A CSV the register cannot take; the message names the line and the fix."""


def parse_csv(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [f.strip() for f in reader.fieldnames or []]
    if "code" not in fields:
        raise RegisterError("the CSV needs a 'code' column (and name_<lang> columns).")
    rows = []
    for line, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        code = raw["code"].strip("/")
        if not CODE.match(code):
            raise RegisterError(
                f"line {line}: {code!r} is not a locality code like KE/47/westlands."
            )
        population = raw.get("population") or None
        if population is not None:
            if not population.isdigit():
                raise RegisterError(f"line {line}: population must be a whole number.")
            population = int(population)
        dates = {}
        for key in ("valid_from", "valid_to"):
            value = raw.get(key) or ""
            if value and not DATE.match(value):
                raise RegisterError(f"line {line}: {key} must be a date like 2024-07-01.")
            dates[key] = value
        names = {k[5:]: v for k, v in raw.items() if k.startswith("name_") and v}
        rows.append(
            {
                "code": code,
                "valid_from": dates["valid_from"],
                "valid_to": dates["valid_to"] or None,
                "population": population,
                "names": names,
            }
        )
    return rows


def import_rows(db, rows: list[dict]) -> int:
    """Add or replace register rows (same code and valid_from: replaced)."""
    now = now_iso()
    with write(db):
        for r in rows:
            db.execute(
                "INSERT INTO localities(code, valid_from, valid_to, population, names, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(code, valid_from) DO UPDATE SET"
                " valid_to = excluded.valid_to, population = excluded.population,"
                " names = excluded.names, imported_at = excluded.imported_at",
                [r["code"], r["valid_from"], r["valid_to"], r["population"],
                 json.dumps(r["names"], ensure_ascii=False), now],
            )  # fmt: skip
    return len(rows)


def all_entries(db) -> list[dict]:
    rows = all_rows(db, "SELECT * FROM localities ORDER BY code, valid_from")
    for r in rows:
        r["names"] = json.loads(r["names"])
    return rows


def current(db, on: dt.date | None = None) -> dict[str, dict]:
    """{code: entry} valid on date ON (today); a code with no valid row keeps
    its latest one (data may still use an old code)."""
    day = (on or dt.date.today()).isoformat()
    out: dict[str, dict] = {}
    for r in all_entries(db):  # ordered by valid_from, so later rows win
        valid = r["valid_from"] <= day and (r["valid_to"] is None or day < r["valid_to"])
        prev = out.get(r["code"])
        if valid or prev is None or not prev["_valid"]:
            out[r["code"]] = dict(r, _valid=valid)
    return out


def names(db, language: str, on: dt.date | None = None) -> dict[str, str]:
    """{code: name in LANGUAGE (or its base language, else English, else any)}."""
    base = language.split("_")[0].split("-")[0]
    out = {}
    for code, r in current(db, on).items():
        n = r["names"]
        name = n.get(language) or n.get(base) or n.get("en") or next(iter(n.values()), None)
        if name:
            out[code] = name
    return out


def populations(db, on: dt.date | None = None) -> dict[str, int]:
    return {c: r["population"] for c, r in current(db, on).items() if r["population"]}


MAX_NAME = 120


def set_name(db, code: str, language: str, name: str) -> None:
    """Name locality CODE in LANGUAGE (an empty NAME removes that language's name)
    on its newest register row; a code not in the register gets a row."""
    code = code.strip().strip("/")
    if not CODE.match(code) or len(code) > 200:
        raise RegisterError(f"{code!r} is not a locality code like KE/47/westlands.")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise RegisterError(f"a locality name is at most {MAX_NAME} characters.")
    with write(db):
        row = db.execute(
            "SELECT valid_from, names FROM localities WHERE code = ? "
            "ORDER BY valid_from DESC LIMIT 1", [code]
        ).fetchone()  # fmt: skip
        names = json.loads(row[1]) if row else {}
        if name:
            names[language] = name
        else:
            names.pop(language, None)
        if row is None:
            import_rows(db, [{"code": code, "valid_from": "", "valid_to": None,
                              "population": None, "names": names}])  # fmt: skip
        else:
            db.execute(
                "UPDATE localities SET names = ?, imported_at = ? WHERE code = ? AND valid_from = ?",
                [json.dumps(names, ensure_ascii=False), now_iso(), code, row[0]],
            )


def in_use(db, limit: int = 200) -> list[str]:
    """Locality codes that needs or meetings of this node use (at most LIMIT, sorted)."""
    rows = all_rows(
        db,
        "SELECT locality FROM (SELECT DISTINCT locality FROM needs"
        " UNION SELECT DISTINCT locality FROM meetings) AS used ORDER BY locality LIMIT ?",
        (limit,),
    )
    return [r["locality"] for r in rows]
