"""National node benchmark: SQLite and PostgreSQL nation nodes, side by side, fed
the same real signed bundles.

    .venv/bin/python scripts/bench_national.py [--needs 1000000] [--communities 10000]
        [--sample 200000] [--bundle-records 20000] [--runs 5] [--full-ingest]
    .venv/bin/python scripts/bench_national.py --scale 10000000    # the 10 M figure

What it does (everything deterministic: records from seeded random.Random, keys
from fixed seeds):
* 10,000 communities KE/rR/dD/cC (10 regions, 100 districts), each an origin with
  its own Ed25519 key; the nation's direct children are the 10 REGION nodes, which
  vouch for their communities (one signed enrolment batch each, applied before the
  timing) and forward the communities' own signed batches in their bundles.
* Records are shared needs as tests/aggregate_data.record() makes them, over 78
  weeks; community c sends records i = c, c + C, c + 2C, ... as seqs 1, 2, 3, ...
* Fill: the first N - SAMPLE needs go in by each engine's own bulk path (SQLite:
  aggregates.bulk_insert_shared_needs, 50,000 per transaction; PostgreSQL: COPY
  into shared_needs, 50,000 per transaction, the roll-up folded by its statement
  triggers). Only shared_needs and agg_cells are filled this way (no
  received_records / received_batches rows for them). --full-ingest: no fill.
* Ingest "at N": the last SAMPLE needs (all N with --full-ingest) as real bundles
  (sync.bundle.make_bundle, zstd 19; one per region per round of
  BUNDLE_RECORDS x regions records), built once, cached in the temp folder, and fed
  bundle by bundle to both nodes through Receiver.check + Receiver.apply (verify
  signatures, decode, check, apply in one transaction), the engine that goes first
  alternating. records/s = new needs / seconds of check + apply.
* Checks: both roll-ups equal (cell by cell) and, up to 200,000 needs, aggregates.drift == 0.
* Size: SQLite file after a WAL checkpoint; PostgreSQL pg_database_size().
* Answers: the five typical aggregate answers (bench_aggregates.QUERIES has four,
  the fifth is category x age band) and the disparity view, each a fresh answer
  with disclosure control, RUNS times per engine (alternating): median and slowest.

PostgreSQL runs in its own throwaway cluster with durability ON (fsync,
synchronous_commit, full_page_writes at their defaults), shared_buffers=512MB;
SQLite runs as every node does (WAL, synchronous=FULL). Writes bench-results/national.md
(after each scale). --pg-setting jit=off etc. adds server settings (said in the output).

Run time on the 2-core box: about 14 min at 1 M (fill 3 + 3.5 min, bundles 40 s, ingest
2 + 3 min, answers 2 min). At 10 M the fill alone is about 30 min (SQLite) + 35 min
(PostgreSQL) at the 1 M fill rates: `--needs 10000000` runs only that scale.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import nacl.signing  # noqa: E402
import pg_cluster  # noqa: E402
import psycopg  # noqa: E402
from bench_aggregates import QUERIES, communities  # noqa: E402
from benchlib import machine, median, write_section  # noqa: E402

from app.aggregate import opendata  # noqa: E402
from app.node.home import init_home, open_home  # noqa: E402
from app.store import aggregates, sync_state  # noqa: E402
from app.store.db import checkpoint  # noqa: E402
from sync import bundle, inbox  # noqa: E402
from sync.batch import make_batch  # noqa: E402
from sync.local import Local  # noqa: E402
from tests import aggregate_data as data  # noqa: E402

CHUNK = 10_000  # records generated per seeded chunk
FILL_BATCH = 50_000
ANSWERS = QUERIES[:4] + [
    ("by category × age band", lambda db: opendata.answer(db, "category,age_band", live=True)),
    QUERIES[4],
]
ENGINES = ("SQLite", "PostgreSQL")
PG_SETTINGS = "shared_buffers=512MB, max_connections=20; fsync, synchronous_commit, " \
    "full_page_writes on (defaults); autovacuum on"
# BENCHMARKS.md (2026-11-24, scripts/bench_aggregates.py: 1,000,000 needs from 1,000
# communities) and sync (10,000 needs, one community, one bundle)
BEFORE = {"by goal": 0, "by locality:3 × gender": 33, "by month": 0, "by group × goal": 1,
          "disparity view (water, 100 districts, with group lenses)": 242}  # fmt: skip
BEFORE_INGEST = 5_662


# ---------------------------------------------------------------- the world


def _id(tag: str) -> str:
    return str(uuid.UUID(bytes=hashlib.sha256(tag.encode()).digest()[:16], version=4))


def _key(tag: str) -> nacl.signing.SigningKey:
    return nacl.signing.SigningKey(hashlib.sha256(b"sauti-bench-national/" + tag.encode()).digest())


class World:
    def __init__(self, n_communities: int, seed: int):
        self.seed, self.locs = seed, communities(n_communities)
        self.ids = [_id(f"c{i}") for i in range(n_communities)]
        self.keys = [_key(f"c{i}") for i in range(n_communities)]
        self.weeks = data.weeks(dt.date(2025, 1, 6), 78)
        self.regions = sorted({loc.rsplit("/", 2)[0] for loc in self.locs})
        self.region = {r: {"node_id": _id(r), "key": _key(r), "locality": r, "level": "region"}
                       for r in self.regions}  # fmt: skip

    def records(self, start: int, stop: int):
        """(community index, shared need record) for records START..STOP-1."""
        c = len(self.locs)
        for chunk in range(start // CHUNK, (stop - 1) // CHUNK + 1):
            rnd = random.Random(f"{self.seed}/{chunk}")
            for i in range(chunk * CHUNK, (chunk + 1) * CHUNK):
                loc = self.locs[i % c]
                rec = data.record(rnd, loc, rnd.choice(self.weeks),
                                  skew=0.3 if loc.endswith("7") else 0.0)  # fmt: skip
                if start <= i < stop:
                    seq = i // c + 1
                    rec.update(origin="", seq=seq, key=str(seq), text=None, merged_into=None)
                    yield i % c, rec

    def enrolment_bundle(self, region: str) -> bytes:
        me = self.region[region]
        recs = [("enrolment", {"origin": "", "seq": n + 1, "key": self.ids[c],
                               "public_key": base64.b64encode(bytes(self.keys[c].verify_key)).decode(),
                               "locality": self.locs[c], "level": "community"})
                for n, c in enumerate(c for c, loc in enumerate(self.locs)
                                      if loc.startswith(region + "/"))]  # fmt: skip
        return self._bundle(me, [make_batch(recs, signing_key=me["key"], origin=me["node_id"],
                                            locality=region, first=1, last=len(recs))])  # fmt: skip

    def _bundle(self, me: dict, batches) -> bytes:
        return bundle.make_bundle(batches, signing_key=me["key"], sender=me["node_id"],
                                  locality=me["locality"], level=me["level"])  # fmt: skip

    def need_bundles(self, start: int, stop: int, per_bundle: int, folder: Path):
        """Bundles of records START..STOP-1 written to FOLDER: [(path, needs)]."""
        out, step = [], per_bundle * len(self.regions)
        for a in range(start, stop, step):
            by_origin: dict[int, list] = {}
            for c, rec in self.records(a, min(stop, a + step)):
                by_origin.setdefault(c, []).append(("need", rec))
            for region in self.regions:
                batches = [
                    make_batch(recs, signing_key=self.keys[c], origin=self.ids[c],
                               locality=self.locs[c], first=recs[0][1]["seq"],
                               last=recs[-1][1]["seq"])
                    for c, recs in sorted(by_origin.items())
                    if self.locs[c].startswith(region + "/")
                ]  # fmt: skip
                if batches:
                    path = folder / f"b{len(out):05d}.bundle"
                    path.write_bytes(self._bundle(self.region[region], batches))
                    out.append((path, sum(b.header["counts"]["need"] for b in batches)))
        return out


# ---------------------------------------------------------------- PostgreSQL


def start_postgres(folder: Path, extra: list[str]) -> tuple[str, str]:
    """A cluster with durability on (EXTRA: more NAME=VALUE server settings);
    (address of a new empty database, version)."""
    folder.mkdir(parents=True, exist_ok=True)  # exists: --workdir, started again
    pg_cluster.start(folder, ("shared_buffers=512MB", "max_connections=20", *extra))
    with psycopg.connect(f"postgresql://{pg_cluster.SUPERUSER}@/postgres?host={folder}",
                         autocommit=True) as conn:  # fmt: skip
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'nation'").fetchone():
            conn.execute("CREATE DATABASE nation")
        version = conn.execute("SHOW server_version").fetchone()[0]
        for name in ("fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "jit"):
            print(f"  postgres {name} = {conn.execute(f'SHOW {name}').fetchone()[0]}")
    return f"postgresql://{pg_cluster.SUPERUSER}@/nation?host={folder}", version


# ---------------------------------------------------------------- the steps


def fill(world: World, dbs: dict, count: int) -> dict[str, float]:
    """Records 0..COUNT-1 by each engine's own bulk path; seconds per engine. An
    engine holding some already (an interrupted --workdir run: one transaction per
    FILL_BATCH) goes on after them."""
    seconds = dict.fromkeys(dbs, 0.0)
    held = {e: db.execute("SELECT count(*) FROM shared_needs").fetchone()[0]
            for e, db in dbs.items()}  # fmt: skip
    for a in range(0, count, FILL_BATCH):
        todo = [e for e in dbs if held[e] <= a]
        if not todo:
            continue
        rows = [dict(rec, origin=world.ids[c], received_at="2026-06-01T00:00:00+00:00")
                for c, rec in world.records(a, min(count, a + FILL_BATCH))]  # fmt: skip
        for e in todo:  # SQLite: folded in Python; PostgreSQL: COPY, its triggers fold
            t = time.perf_counter()
            aggregates.bulk_insert_shared_needs(dbs[e], rows)
            seconds[e] += time.perf_counter() - t
        if a % 1_000_000 == 0:
            print(f"  fill at {a:,}: {seconds}", flush=True)
    return seconds


def ingest(locals_: dict, bundles) -> dict:
    """Feed every bundle to both nodes (alternating who goes first); {(engine, step): s}."""
    receivers = {e: inbox.Receiver(local) for e, local in locals_.items()}
    seconds = {(e, step): 0.0 for e in ENGINES for step in ("check", "apply")}
    for n, (path, needs) in enumerate(bundles):
        raw = path.read_bytes()
        for engine in ENGINES if n % 2 == 0 else ENGINES[::-1]:
            r = receivers[engine]
            t0 = time.perf_counter()
            checked = r.check(raw)
            t1 = time.perf_counter()
            result = r.apply(checked)
            seconds[(engine, "check")] += t1 - t0
            seconds[(engine, "apply")] += time.perf_counter() - t1
            assert result["new"] == needs, (engine, result["new"], needs)
        if n % 10 == 9:
            print(f"  {n + 1} bundles: {seconds}", flush=True)
    return seconds


def cells(db) -> set:
    return set(db.execute("SELECT d1, v1, d2, v2, needs, supporters FROM agg_cells "
                          "WHERE needs != 0").fetchall())  # fmt: skip


def sizes(dbs: dict, sqlite_file: Path) -> dict[str, int]:
    checkpoint(dbs["SQLite"])
    wal = sqlite_file.with_name(sqlite_file.name + "-wal")
    return {
        "SQLite": sqlite_file.stat().st_size + (wal.stat().st_size if wal.exists() else 0),
        "PostgreSQL": dbs["PostgreSQL"].execute(
            "SELECT pg_database_size(current_database())").fetchone()[0],
    }


def answers(dbs: dict, runs: int) -> dict:
    times = {(e, name): [] for e in ENGINES for name, _ in ANSWERS}
    for run in range(runs):
        for engine in ENGINES if run % 2 == 0 else ENGINES[::-1]:
            for name, query in ANSWERS:
                t = time.perf_counter()
                query(dbs[engine])
                times[(engine, name)].append(time.perf_counter() - t)
    return times


# ---------------------------------------------------------------- report


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(args, n, pg_version, r) -> str:
    split = r["ingest_s"]
    rate = {e: r["ingested"] / (split[(e, "check")] + split[(e, "apply")]) for e in ENGINES}
    lines = [
        f"### {n:,} shared needs from {args.communities:,} communities",
        "",
        ("All needs through real bundles (--full-ingest)." if args.full_ingest else
         f"Filled to {n - r['ingested']:,} needs by each engine's bulk path "
         f"({r['fill_s']['SQLite']:.0f} s SQLite, {r['fill_s']['PostgreSQL']:.0f} s PostgreSQL; "
         "shared_needs and agg_cells only), then the ingest figure: "
         f"{r['ingested']:,} more needs through real bundles on top."),
        f"{r['bundles']} bundles of about {r['ingested'] // max(1, r['bundles']):,} needs "
        f"(a region forwarding its communities' signed batches); roll-ups equal on both "
        f"engines ({r['cells']:,} cells){r['drift']}. Run took {r['wall'] / 60:.1f} min; "
        f"load average (1 min) {r['load'][0]:.1f} at its start, {os.getloadavg()[0]:.1f} at "
        "its end (2 cores; this run alone keeps 1 to 2 of them busy, more means other jobs).",
        "",
        "| measure | SQLite | PostgreSQL | PostgreSQL ÷ SQLite |",
        "| --- | --- | --- | --- |",
        f"| ingest through Receiver.check + apply (records/s) | {rate['SQLite']:,.0f} | "
        f"{rate['PostgreSQL']:,.0f} | {rate['PostgreSQL'] / rate['SQLite']:.2f}× |",
        *(f"| … of which {step} (s, {what}) | {split[('SQLite', step)]:,.1f} | "
          f"{split[('PostgreSQL', step)]:,.1f} | "
          f"{split[('PostgreSQL', step)] / split[('SQLite', step)]:.2f}× |"
          for step, what in (("check", "verify, decode, schema check"),
                             ("apply", "one transaction"))),
        f"| database size | {r['size']['SQLite'] / 1e6:,.0f} MB | "
        f"{r['size']['PostgreSQL'] / 1e6:,.0f} MB | "
        f"{r['size']['PostgreSQL'] / r['size']['SQLite']:.2f}× |",
    ]
    worst = {e: 0.0 for e in ENGINES}
    for name, _ in ANSWERS:
        med = {e: median(r["times"][(e, name)]) for e in ENGINES}
        top = {e: max(r["times"][(e, name)]) for e in ENGINES}
        for e in ENGINES:
            worst[e] = max(worst[e], top[e])
        ratio = f"{med['PostgreSQL'] / med['SQLite']:.2f}×" if med["SQLite"] > 0.0005 else "—"
        lines.append(f"| {name}: median / slowest of {args.runs} | "
                     f"{ms(med['SQLite'])} / {ms(top['SQLite'])} | "
                     f"{ms(med['PostgreSQL'])} / {ms(top['PostgreSQL'])} | {ratio} |")  # fmt: skip
    ratio = rate["PostgreSQL"] / rate["SQLite"]
    slower = [f"{name} {ms(median(r['times'][('SQLite', name)]))} (was {before} ms)"
              for name, before in BEFORE.items()
              if median(r["times"][("SQLite", name)]) * 1000 > before * 1.2 + 5]  # fmt: skip
    lines += [
        "",
        f"- Target every answer under 1 s on PostgreSQL (set for 10 M): slowest here "
        f"{ms(worst['PostgreSQL'])}: **{'met' if worst['PostgreSQL'] < 1 else 'not met'}**"
        f"{'' if n >= 10_000_000 else ' at this scale'}.",
        f"- Target PostgreSQL ingest ≥ 2× SQLite's: {rate['PostgreSQL']:,.0f} vs "
        f"{rate['SQLite']:,.0f} records/s = {ratio:.2f}×: **{'met' if ratio >= 2 else 'not met'}**.",
        f"- Target SQLite no worse than BENCHMARKS.md (aggregates: 1 M needs from 1,000 "
        f"communities; sync ingest {BEFORE_INGEST:,} records/s, one 10,000-need bundle of one "
        f"community, so only roughly comparable): SQLite ingest {rate['SQLite']:,.0f} records/s; "
        + ("answers within 20 % + 5 ms of those figures." if not slower else
           "slower answers: " + "; ".join(slower) + "."),
    ]
    return "\n".join(lines)


def run_scale(args, n: int, tmp: Path, pg_address: str) -> dict:
    started, load = time.perf_counter(), os.getloadavg()
    world = World(args.communities, args.seed)
    sample = n if args.full_ingest else min(n, args.sample)
    engines = (args.fill_engine,) if args.fill_engine else ENGINES
    folder = tmp / f"bundles-{n}"
    folder.mkdir(exist_ok=True)
    t = time.perf_counter()
    enrol = [world.enrolment_bundle(r) for r in world.regions]
    bundles = [] if args.fill_only else world.need_bundles(n - sample, n, args.bundle_records,
                                                             folder)  # fmt: skip
    print(f"  built {len(bundles)} bundles in {time.perf_counter() - t:.0f} s", flush=True)
    homes = {"SQLite": tmp / f"sqlite-{n}", "PostgreSQL": tmp / f"pg-{n}"}
    # --workdir: the fill of an earlier --fill-only run, per engine
    filled = {e: tmp / f"filled-{n}-{e}.json" for e in engines}
    if (tmp / f"ingested-{n}").exists():
        raise SystemExit(f"{tmp} holds {n:,} needs ingested already; start from a new --workdir")
    fresh = [e for e in engines if not homes[e].exists()]
    for e in fresh:
        init_home(homes[e], name="Kenya", level="nation", locality="KE",
                  database=pg_address if e == "PostgreSQL" else None)  # fmt: skip
    locals_ = {e: Local.open(open_home(homes[e])) for e in engines}
    dbs = {e: local.db for e, local in locals_.items()}
    try:
        for e in fresh:
            for region in world.regions:
                me = world.region[region]
                sync_state.add_child(dbs[e], region, base64.b64encode(
                    bytes(me["key"].verify_key)).decode())  # fmt: skip
            for raw in enrol:
                inbox.receive(locals_[e], raw)
        fill_s = {e: json.loads(filled[e].read_text()) for e in engines if filled[e].exists()}
        todo = {e: dbs[e] for e in engines if e not in fill_s}
        if fill_s:
            print(f"  resumed the fill of {', '.join(fill_s)} from {tmp}", flush=True)
        if todo:
            fill_s |= fill(world, todo, n - sample)  # an interrupted fill goes on
            print(f"  filled {n - sample:,}: {fill_s}", flush=True)
            if args.workdir:
                for e in todo:
                    filled[e].write_text(json.dumps(fill_s[e]))
        if args.fill_only:
            return None
        if args.workdir:
            (tmp / f"ingested-{n}").touch()
        ingest_s = ingest(locals_, bundles)
        print(f"  ingested {sample:,}: {ingest_s}", flush=True)
        shared = {e: db.execute("SELECT count(*) FROM shared_needs").fetchone()[0]
                  for e, db in dbs.items()}  # fmt: skip
        assert shared == dict.fromkeys(ENGINES, n), shared
        same = cells(dbs["SQLite"])
        assert same == cells(dbs["PostgreSQL"]), "the two roll-ups differ"
        drift = ""
        if n <= 200_000:
            assert all(aggregates.drift(db) == 0 for db in dbs.values())
            drift = ", aggregates.drift = 0 on both"
        size = sizes(dbs, homes["SQLite"] / "sauti.db")
        times = answers(dbs, args.runs)
    finally:
        for local in locals_.values():
            local.close()
        shutil.rmtree(folder, ignore_errors=True)
        if not args.workdir:
            shutil.rmtree(homes["SQLite"], ignore_errors=True)
    return {"fill_s": fill_s, "ingest_s": ingest_s, "ingested": sample, "bundles": len(bundles),
            "cells": len(same), "drift": drift, "size": size, "times": times,
            "wall": time.perf_counter() - started, "load": load}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--scale", type=int, action="append", default=[],
                        help="another total (e.g. 10000000); repeatable")  # fmt: skip
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200_000,
                        help="needs ingested through real bundles on top of the fill")  # fmt: skip
    parser.add_argument("--bundle-records", type=int, default=20_000,
                        help="needs per region bundle (one bundle per region per round)")  # fmt: skip
    parser.add_argument("--full-ingest", action="store_true",
                        help="every need through real bundles (no bulk fill)")  # fmt: skip
    parser.add_argument("--pg-setting", action="append", default=[], metavar="NAME=VALUE",
                        help="another PostgreSQL server setting (e.g. jit=off); repeatable")
    parser.add_argument("--workdir", type=Path, help="keep the stores here (not a temp "
                        "folder): with --fill-only, a later run resumes after the fill")
    parser.add_argument("--fill-only", action="store_true",
                        help="stop after the fill (with --workdir; ~65 min at 10 M)")
    parser.add_argument("--fill-engine", choices=ENGINES,
                        help="with --fill-only: fill this engine's store only (run one "
                        "process per engine to fill both at once)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    scales = [args.needs] + [s for s in args.scale if s != args.needs]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on kill too
    if args.fill_only and not args.workdir or args.fill_engine and not args.fill_only:
        parser.error("--fill-only needs --workdir; --fill-engine needs --fill-only")
    if args.workdir:
        tmp = args.workdir.resolve()
        tmp.mkdir(parents=True, exist_ok=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="sauti-bench-national-"))
    os.chmod(tmp, 0o755)  # the PostgreSQL server runs as 'nobody' inside it
    sections = []
    try:
        for n in scales:
            print(f"== {n:,} needs", flush=True)
            pg_dir = tmp / f"pg-cluster-{n}"
            if args.fill_engine == "SQLite":
                run_scale(args, n, tmp, "")
                continue
            try:
                address, pg_version = start_postgres(pg_dir, args.pg_setting)
                result = run_scale(args, n, tmp, address)
            finally:
                pg_cluster.stop(pg_dir)
            if result is None:  # --fill-only
                continue
            sections.append(report(args, n, pg_version, result))
            write_section("national", header(args, pg_version) + "\n\n".join(sections))
    finally:
        if not args.workdir:
            shutil.rmtree(tmp, ignore_errors=True)


def header(args, pg_version: str) -> str:
    return "\n".join([
        "## National node: SQLite and PostgreSQL side by side (scripts/bench_national.py)",
        "",
        f"Machine: {machine()}. Date: {dt.date.today().isoformat()}. Python "
        f"{platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"PostgreSQL {pg_version}.",
        f"Command: `{' '.join(['scripts/bench_national.py', *sys.argv[1:]])}`.",
        "",
        "Both nation nodes (KE) are fed the same real signed bundles (zstd 19): the 10 region "
        "nodes are the nation's enrolled children, each vouching for its communities (one "
        "enrolment batch, applied before timing) and forwarding their signed batches; each "
        "community is an origin with its own Ed25519 key. Ingest records/s = new needs ÷ "
        "seconds of Receiver.check + Receiver.apply (verify, decode, check, one transaction), "
        "bundle by bundle, the engine going first alternating. Answers: fresh API answers with "
        "disclosure control (k = 5), alternating engines per run. SQLite: WAL, "
        f"synchronous=FULL. PostgreSQL: own cluster on a unix socket, {PG_SETTINGS}"
        + ("; other settings default." if not args.pg_setting else
           "; also " + ", ".join(args.pg_setting) + ", the rest default."),
        "",
        "",
    ])  # fmt: skip


if __name__ == "__main__":
    main()
