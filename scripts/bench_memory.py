"""Benchmark: resident memory of `sauti serve` on a small box (issue 12).

Community node (the demo, 240 needs): RSS after start, after 16 concurrent
sign-ins, after 1,000 mixed requests (council pages as a signed-in council member,
API lists, aggregates, static files; 4 clients) and after 10,000 more.
Region node: the same after 100,000 shared needs received from its subtree,
serving aggregate pages and the aggregates API. Target: <= 80 MB, no growth.

Usage: python scripts/bench_memory.py [--quick] [--region-needs N]
"""

import argparse
import http.cookiejar
import json
import re
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import rss_mb, start_server, stop_server, write_section  # noqa: E402

from tests.conftest import add_token  # noqa: E402

SIGN_INS = 16
REGION_MORE = 2000
BEFORE_DATE = "2026-12-03"
BEFORE = [  # measured with this script on the base commit bc70d8f (before issue 12)
    ("community (demo, 240 needs), 10,000 more",
     {"start": 62.3, "sign_ins": 218.8, "first": 224.4, "more": 224.5, "errors": 0}),
    ("region (100,000 shared needs), 2,000 more",
     {"start": 63.5, "sign_ins": 219.4, "first": 226.8, "more": 227.2, "errors": 0}),
]  # region pages take about a second each on 2 shared cores
CLIENTS = 4
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

COMMUNITY_PATHS = [
    ("session", "/council/triage"),
    ("session", "/council/dashboard"),
    ("session", "/council/priorities"),
    ("session", "/council/report"),
    ("session", "/aggregate/"),
    ("session", "/aggregate/coverage"),
    ("token", "/api/v1/needs?per_page=50"),
    ("token", "/api/v1/needs?page=3&q=maji"),
    ("token", "/api/v1/aggregates?by=goal,gender"),
    ("token", "/api/v1/aggregates?by=week"),
    ("none", "/static/sauti.css"),
    ("none", "/healthz"),
]
REGION_PATHS = [
    ("session", "/aggregate/"),
    ("session", "/aggregate/coverage"),
    ("session", "/aggregate/goals"),
    ("session", "/aggregate/disparities?category=water"),
    ("token", "/api/v1/aggregates?by=locality,gender"),
    ("token", "/api/v1/aggregates?by=goal,group"),
    ("token", "/api/v1/aggregates?by=month"),
    ("token", "/api/v1/needs?per_page=50"),
    ("none", "/static/sauti.css"),
    ("none", "/healthz"),
]


def sign_in(url: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url + "/login", timeout=60) as r:
        token = CSRF.search(r.read().decode()).group(1)
    body = urllib.parse.urlencode(
        {"csrf_token": token, "username": username, "password": password}
    ).encode()
    with opener.open(url + "/login", data=body, timeout=60) as r:
        r.read()
        if urllib.parse.urlsplit(r.geturl()).path == "/login":
            raise RuntimeError(f"sign-in of {username} failed")
    return opener


def concurrent_sign_ins(url: str, username: str, password: str) -> list:
    openers: list = [None] * SIGN_INS
    barrier = threading.Barrier(SIGN_INS)

    def one(i):
        barrier.wait()
        openers[i] = sign_in(url, username, password)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(SIGN_INS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return openers


def mixed_requests(url, paths, count, openers, token) -> int:
    counter = iter(range(count))
    lock = threading.Lock()
    errors = [0]
    plain = urllib.request.build_opener()

    def worker(n):
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            kind, path = paths[i % len(paths)]
            opener = openers[(i + n) % len(openers)] if kind == "session" else plain
            headers = {"Authorization": f"Bearer {token}"} if kind == "token" else {}
            try:
                with opener.open(urllib.request.Request(url + path, headers=headers), timeout=60) as r:
                    r.read()
            except OSError:
                with lock:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors[0]


def measure(home: Path, paths, username, password, first: int, more: int) -> dict:
    token = add_token(home, username)
    proc, url, _ = start_server(home)
    try:
        figures = {"start": rss_mb(proc.pid)}
        openers = concurrent_sign_ins(url, username, password)
        figures["sign_ins"] = rss_mb(proc.pid)
        figures["errors"] = mixed_requests(url, paths, first, openers, token)
        figures["first"] = rss_mb(proc.pid)
        figures["errors"] += mixed_requests(url, paths, more, openers, token)
        figures["more"] = rss_mb(proc.pid)
    finally:
        stop_server(proc)
    return figures


def community(first: int, more: int) -> dict:
    from app import demo

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "demo"
        demo.build(home, progress=lambda _msg: None)
        password = next(p for u, _r, p in demo.credentials(home) if u == "amina")
        return measure(home, COMMUNITY_PATHS, "amina", password, first, more)


def region(needs: int, first: int, more: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "region"
        password = "analyst-password-1"
        build_region(home, needs, password)
        return measure(home, REGION_PATHS, "ana", password, first, more)


def build_region(path: Path, needs: int, password: str) -> None:
    """A region node KE/r0 holding NEEDS shared needs from its 100 communities,
    generated like the aggregates benchmark's (seeded)."""
    import datetime as dt
    import random

    from bench_aggregates import BATCH, communities, generate

    from app.auth import passwords
    from app.node.home import init_home, open_home
    from app.store import aggregates, users
    from tests import aggregate_data as data

    init_home(path, name="Region 0", level="region", locality="KE/r0")
    db = open_home(path).connect()
    rnd = random.Random(2026)
    locs = communities(100 * 10)[:100]
    weeks = data.weeks(dt.date(2025, 1, 6), 78)
    for start in range(0, needs, BATCH):
        aggregates.bulk_insert_shared_needs(db, generate(rnd, locs, weeks, start, min(BATCH, needs - start)))
    users.add(db, "ana", "analyst", passwords.hash_password(password))
    db.close()


def row(name: str, f: dict, first: int, more: int) -> str:
    return (
        f"| {name} | {f['start']:.1f} MB | {f['sign_ins']:.1f} MB | {f['first']:.1f} MB "
        f"| {f['more']:.1f} MB | {f['more'] - f['first']:+.1f} MB | {f['errors']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="community node only")
    parser.add_argument("--region-needs", type=int, default=100_000)
    parser.add_argument("--region-more", type=int, default=REGION_MORE)
    args = parser.parse_args()
    first, more = 1000, 10_000
    results = {"community": community(first, more)}
    if not args.quick:
        results["region"] = region(args.region_needs, first, args.region_more)
    print(json.dumps(results))
    rows = [row(f"community (demo, 240 needs), {more:,} more", results["community"], first, more)]
    if "region" in results:
        rows.append(row(f"region ({args.region_needs:,} shared needs), {args.region_more:,} more",
                        results["region"], first, args.region_more))
    before = "\n".join(row(name, f, 0, 0) for name, f in BEFORE)
    write_section(
        "memory",
        f"""## Memory on a small box (issue 12)

`sauti serve` (waitress, 8 threads) in a child process, measured by `scripts/bench_memory.py`:
resident memory (VmRSS of /proc/PID/status) after start, after {SIGN_INS} concurrent sign-ins
(argon2id, 19 MiB, 2 passes), after {first:,} mixed requests and after more ({CLIENTS} clients
without keep-alive: council and aggregate pages with the sessions of those sign-ins, API lists
and aggregates with a token, static files, /healthz). Community: the demo node, then
{more:,} more requests. Region: a region node holding {args.region_needs:,} shared needs
received from its 100 communities (the aggregates benchmark's generator, seeded), serving
aggregate pages and the aggregates API as an analyst, then {args.region_more:,} more (its
aggregate pages take about a second each on these 2 shared cores).
Target: ≤ 80 MB after {first:,} requests, no growth after that.

| node | start | after sign-ins | after {first:,} | after more | growth | errors |
| --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

Before issue 12 (base commit bc70d8f, the same script on the same machine, {BEFORE_DATE}):

| node | start | after sign-ins | after {first:,} | after more | growth | errors |
| --- | --- | --- | --- | --- | --- | --- |
{before}

What changed: glibc raised its mmap threshold to 19 MiB after the first argon2id hash was freed,
so every later hash came from the arena of the waitress thread that ran it, and each of the 8
threads kept its 19 MiB. `sauti serve` now fixes the threshold (256 KiB) and caps glibc at 2
arenas before any thread starts (app/node/memory.py): each hash's memory goes back to the system.
SQLite's page caches and sorts share one soft limit of 4 MiB across all connections (PRAGMA
soft_heap_limit, app/store/db.py) instead of up to 2 MB per thread's connection.
""",
    )


if __name__ == "__main__":
    main()
