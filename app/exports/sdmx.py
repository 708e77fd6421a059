"""SDMX-CSV 2.0 (sdmx.csv) with the dimensions of the global SDG data structure.

Columns: STRUCTURE, STRUCTURE_ID, ACTION, then FREQ (`M`), SERIES (the need
category, as SAUTI_NEEDS_<CODE>), REF_AREA (the locality, or the
code the mapping gives it), SEX and AGE (SDG
codes, totals `_T`), TIME_PERIOD (`YYYY-MM`) and OBS_VALUE (needs counted).
Written through app.exports.csv_out.write_rows."""

from pathlib import Path

from .csv_out import write_rows
from .mapping import AGE, SEX, TOTAL

STRUCTURE = "dataflow"
STRUCTURE_ID = "UN:DF_SDG_GLH(1.0)"
COLUMNS = ("STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "SERIES", "REF_AREA", "SEX", "AGE",
           "TIME_PERIOD", "OBS_VALUE")  # fmt: skip


def series(category: str) -> str:
    return "SAUTI_NEEDS_" + category.upper().replace("-", "_")


def rows(tables, used: dict | None = None) -> list[list[str]]:
    out = []
    places = (used or {}).get("localities", {})

    def add(r, sex=TOTAL, age=TOTAL):
        out.append([STRUCTURE, STRUCTURE_ID, "I", "M", series(r["category"]),
                    places.get(r["locality"], r["locality"]),
                    sex, age, r["month"], str(r["needs"])])  # fmt: skip

    for r in tables.rows(tables.total_table):
        add(r)
    for r in tables.rows(tables.breakdowns["gender"]):
        add(r, sex=SEX.get(r["gender"], r["gender"]))
    for r in tables.rows(tables.breakdowns["age_band"]):
        add(r, age=AGE.get(r["age_band"], r["age_band"]))
    return out


def write(tables, directory: Path, used: dict | None = None) -> int:
    body = rows(tables, used)
    write_rows(directory / "sdmx.csv", COLUMNS, body)
    return len(body)
