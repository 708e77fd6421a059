"""Benchmark of the national-system exports' disclosure audit (app.exports.audit).

    .venv/bin/python scripts/bench_exports.py [--runs 3]

Generated needs (tests/aggregate_data.py) under a community with sub-localities,
counted at the export's finest grain; times protected() (heuristic + exact audit,
repair rounds included), median of RUNS. Prints Markdown.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.exports import audit  # noqa: E402
from app.exports.build import protected  # noqa: E402
from app.exports.tables import Tables  # noqa: E402
from tests import aggregate_data as data  # noqa: E402

NODE = "KE/47/westlands/kangemi"
CASES = [(200, (2, 1, 1), 6), (500, (2, 1, 1), 8), (1000, (2, 2, 1), 13)]


def fine_cells(needs: int, spec, weeks: int) -> dict:
    rows = data.shared_rows(needs, data.tree(NODE, *spec), data.weeks(dt.date(2026, 1, 5), weeks), 3)
    fine: dict = {}
    for r in rows:
        if r["status"] != "merged":
            key = (r["locality"], r["week"], r["category"], r["gender"], r["age_band"])
            fine.setdefault(key, [0, 0])[0] += 1
    return fine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| needs | localities | weeks | unknowns | protected() median | outcome |")
    print("| --- | --- | --- | --- | --- | --- |")
    for needs, spec, weeks in CASES:
        fine = fine_cells(needs, spec, weeks)
        t = Tables(fine, 5, NODE)
        cells = audit.unknowns(t, audit.visible_tables(t))
        times, outcome = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            outcome = protected(fine, 5, NODE).audit
            times.append(time.perf_counter() - start)
        print(f"| {needs} | {len(data.tree(NODE, *spec))} | {weeks} | "
              f"{'>' + str(audit.MAX_UNKNOWNS) if cells is None else len(cells)} | "
              f"{statistics.median(times):.1f} s | "
              f"{'withheld' if outcome['withheld'] else 'audited'} |")  # fmt: skip


if __name__ == "__main__":
    main()
