"""Benchmark of the national-system exports' disclosure audit (app.exports.audit).

    .venv/bin/python scripts/bench_exports.py [--runs 3]

Generated needs (tests/aggregate_data.py) under a community with sub-localities,
counted at the export's finest grain; times protected() (heuristic suppression +
exact audit, repair rounds included), median of RUNS. Prints Markdown. Cases of
more than MAX_NEEDS needs are skipped (the audit before issue 16's rework needed
more than 600 s from 2,000 needs on).
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.exports.build import protected  # noqa: E402
from tests import aggregate_data as data  # noqa: E402

NODE = "KE/47/westlands/kangemi"
CASES = [  # needs, (districts, wards, villages), weeks
    (200, (2, 1, 1), 6), (500, (2, 1, 1), 8), (1000, (2, 2, 1), 13), (2000, (2, 3, 1), 26),
    (10_000, (10, 1, 1), 52), (100_000, (50, 1, 1), 104),
]  # fmt: skip


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
    parser.add_argument("--max-needs", type=int, default=10**9)
    args = parser.parse_args()
    print("| needs | localities (export level / all) | weeks | non-empty finest cells | "
          "protected() median | outcome | zeros checked | published totals |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for needs, spec, weeks in CASES:
        if needs > args.max_needs:
            continue
        fine = fine_cells(needs, spec, weeks)
        times, t = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            t = protected(fine, 5, NODE)
            times.append(time.perf_counter() - start)
        print(f"| {needs} | {spec[0]} / {len(data.tree(NODE, *spec))} | {weeks} | {len(fine)} | "
              f"{statistics.median(times):.1f} s | "
              f"{'withheld' if t.audit['withheld'] else 'audited'} | "
              f"{'yes' if t.audit.get('zeros', True) else 'no'} | "
              f"{len(t.rows(t.total_table))} of {len(t.raw(t.total_table))} |")  # fmt: skip


if __name__ == "__main__":
    main()
