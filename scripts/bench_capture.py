"""Benchmark: capture through the real server (waitress, 8 concurrent clients)
— needs/s and p50/p95 latency — and the weight of the capture page.
Targets: >= 300 needs/s, p95 < 100 ms, capture page + CSS + JS < 60 KB."""

import http.client
import http.cookiejar
import json
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import median, percentile, start_server, stop_server, write_section  # noqa: E402

CLIENTS = 8
PER_CLIENT = 250
TEXTS = [
    "Kisima cha kijiji kimeharibika tangu mwezi uliopita.",
    "البئر في القرية معطلة منذ شهر ونحتاج إلى إصلاحها.",
    "村里到镇上的路每逢下雨就无法通行。",
    "La pompe du village est en panne depuis deux semaines.",
    "गाँव में पीने का साफ पानी नहीं है।",
]


def setup(home: Path) -> tuple[str, str]:
    from app.auth import passwords, tokens
    from app.node import home as homes
    from app.store import users

    homes.init_home(home, name="Bench", level="community", locality="KE/47/bench", country="KE")
    db = homes.open_home(home).connect()
    uid = users.add(db, "fac", "facilitator", passwords.hash_password("bench password"))
    value = tokens.new_token()
    users.add_token(db, uid, value[: tokens.PREFIX_LENGTH], tokens.token_hash(value))
    db.close()
    return value, "bench password"


def client(url: str, token: str, latencies: list, errors: list, n: int) -> None:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for i in range(n):
        body = json.dumps({
            "uuid": str(uuid.uuid4()), "text": TEXTS[i % len(TEXTS)], "language": "sw",
            "category": "water", "gender": "female", "age_band": "25-34", "supporters": 2,
        })
        start = time.perf_counter()
        conn.request("POST", "/api/v1/needs", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if response.status != 201:
            errors.append(response.status)
    conn.close()


def page_weight(url: str, password: str) -> tuple[int, dict]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(url + "/login").read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', login).group(1)
    data = urllib.parse.urlencode({"username": "fac", "password": password, "csrf_token": token})
    opener.open(url + "/login", data=data.encode()).read()
    html = opener.open(url + "/capture").read()
    sizes = {"/capture (HTML)": len(html)}
    text = html.decode()
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', text):
        sizes[asset] = len(opener.open(url + asset).read())
    return sum(sizes.values()), sizes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "bench"
        token, password = setup(home)
        proc, url, _ = start_server(home)
        try:
            latencies, errors = [], []
            threads = [
                threading.Thread(target=client, args=(url, token, latencies, errors, PER_CLIENT))
                for _ in range(CLIENTS)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            try:
                weight, sizes = page_weight(url, password)
            except Exception as exc:  # the capture page may not exist in older trees
                weight, sizes = None, {"error": str(exc)}
        finally:
            stop_server(proc)
    total = CLIENTS * PER_CLIENT
    rate = total / elapsed
    ms = [x * 1000 for x in latencies]
    rows = "\n".join(f"| `{k}` | {v:,} B |" for k, v in sizes.items() if isinstance(v, int))
    write_section(
        "capture",
        f"""## Capture through the real server (issue 3)

`POST /api/v1/needs`, {CLIENTS} concurrent keep-alive clients in one process on the
same 2-core machine (clients and server share the CPU), {total:,} needs, fresh node,
`synchronous=FULL` (every acknowledged need is on disk).

| measure | value | target |
| --- | --- | --- |
| throughput | {rate:.0f} needs/s | ≥ 300 |
| latency p50 | {median(ms):.1f} ms | — |
| latency p95 | {percentile(ms, 95):.1f} ms | < 100 ms |
| errors | {len(errors)} | 0 |
| capture page + CSS + JS | {f'{weight:,} B' if weight else 'n/a'} | < 60 KB |

{"| file | size |" + chr(10) + "| --- | --- |" + chr(10) + rows if rows else ""}
""",
    )


if __name__ == "__main__":
    main()
