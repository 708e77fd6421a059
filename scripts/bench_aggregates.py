"""Benchmark of the aggregate store at national scale.

    .venv/bin/python scripts/bench_aggregates.py [--needs 1000000] [--communities 1000]

Builds a nation node in a temporary folder, loads N shared needs from the
communities (in batches through app.store.aggregates.bulk_insert_shared_needs,
one transaction each; also times the per-row trigger path on a sample), then
times five typical aggregate queries, each as a fresh API answer with
disclosure control (median of 5 runs). Prints Markdown and writes
bench-results/aggregates.md.
"""

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.aggregate import opendata
from app.aggregate.indicators import disparity
from app.node.home import init_home, open_home
from app.store import aggregates as store
from tests import aggregate_data as data

BATCH = 50_000
QUERIES = [
    ("by goal", lambda db: opendata.answer(db, "goal", live=True)),
    ("by locality:3 × gender", lambda db: opendata.answer(db, "locality:3,gender", live=True)),
    ("by month", lambda db: opendata.answer(db, "month", live=True)),
    ("by group × goal", lambda db: opendata.answer(db, "group,goal", live=True)),
    ("disparity view (water, 100 districts, with group lenses)",
     lambda db: disparity(db, "category:water", 3, 5)),
]  # fmt: skip


def communities(n: int) -> list[str]:
    """N community paths KE/rR/dD/cC: 10 regions, 10 districts each, the rest communities."""
    per_district = max(1, n // 100)
    return [f"KE/r{i // (10 * per_district)}/d{i // per_district}/c{i}" for i in range(n)]


def generate(rnd, locs, weeks, start, count):
    rows = []
    for i in range(start, start + count):
        loc = locs[i % len(locs)]
        rec = data.record(rnd, loc, rnd.choice(weeks), skew=0.3 if loc.endswith("7") else 0.0)
        rec.update(origin=f"node-{loc.rsplit('/', 1)[1]}", key=str(i), seq=i + 1, text=None,
                   merged_into=None, received_at="2026-06-01T00:00:00+00:00")  # fmt: skip
        rows.append(rec)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rnd = random.Random(2026)
    locs = communities(args.communities)
    weeks = data.weeks(dt.date(2025, 1, 6), 78)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        init_home(Path(tmp) / "nation", name="Kenya", level="nation", locality="KE")
        db = open_home(Path(tmp) / "nation").connect()

        sample = generate(rnd, locs, weeks, 10_000_000, 20_000)
        t = time.perf_counter()
        data.insert_shared(db, sample)
        trigger_rate = len(sample) / (time.perf_counter() - t)
        db.execute("DELETE FROM shared_needs")  # the triggers take them out again
        assert store.drift(db) == 0

        t = time.perf_counter()
        for start in range(0, args.needs, BATCH):
            store.bulk_insert_shared_needs(
                db, generate(rnd, locs, weeks, start, min(BATCH, args.needs - start))
            )
        ingest = time.perf_counter() - t
        cells = db.execute("SELECT count(*) FROM agg_cells").fetchone()[0]
        size = (Path(tmp) / "nation" / "sauti.db").stat().st_size

        results = []
        for name, query in QUERIES:
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                query(db)
                times.append(time.perf_counter() - t)
            results.append((name, statistics.median(times), max(times)))
        db.close()

    lines += [
        "# Aggregates benchmark",
        "",
        (
            f"{args.needs:,} shared needs from {args.communities:,} communities "
            f"(10 regions, 100 districts), {len(weeks)} weeks; k=5. "
            f"Python {platform.python_version()}, {platform.machine()}, "
            f"{len(os.sched_getaffinity(0))} cores."
        ),
        "",
        "| step | result |",
        "| --- | --- |",
        (
            f"| ingest (bulk, {BATCH:,} per transaction) | {ingest:.1f} s "
            f"({args.needs / ingest:,.0f} needs/s) |"
        ),
        f"| ingest row by row (triggers, 20,000-row sample) | {trigger_rate:,.0f} needs/s |",
        f"| roll-up cells | {cells:,} |",
        f"| database size | {size / 1e6:,.0f} MB |",
        "",
        f"| query (fresh answer with disclosure control) | median of {args.runs} | slowest |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {med * 1000:,.0f} ms | {worst * 1000:,.0f} ms |"
              for name, med, worst in results]  # fmt: skip
    lines += ["", "Target: each aggregate under 1 s on a 2-core machine."]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "aggregates.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
