"""Benchmark: `sauti serve` start-up to a healthy /healthz, and resident memory
after the demo node has served 1,000 requests (target: under 120 MB)."""

import json
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchlib import median, rss_mb, start_server, stop_server, write_section  # noqa: E402

from tests.conftest import add_token  # noqa: E402

STARTS = 5
REQUESTS = 1000


def build_demo(path: Path) -> None:
    from app import demo

    demo.build(path, progress=lambda _msg: None)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "demo"
        build_demo(home)
        token = add_token(home, "amina")
        startups = []
        for _ in range(STARTS):
            proc, url, seconds = start_server(home)
            startups.append(seconds)
            stop_server(proc)
        proc, url, _ = start_server(home)
        try:
            rss_start = rss_mb(proc.pid)
            paths = ["/", "/login", "/healthz", "/static/sauti.css", "/api/v1/needs?per_page=50",
                     "/api/v1/needs?page=3", "/api/v1/openapi.json", "/lang/ar?next=/"]
            counter = iter(range(REQUESTS))
            lock = threading.Lock()

            def worker():
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    path = paths[i % len(paths)]
                    headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/v1/needs") else {}
                    request = urllib.request.Request(url + path, headers=headers)
                    with urllib.request.urlopen(request, timeout=10) as response:
                        response.read()

            threads = [threading.Thread(target=worker) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            rss_after = rss_mb(proc.pid)
        finally:
            stop_server(proc)
    write_section(
        "serve",
        f"""## Serving (issue 2)

Demo node (240 needs), `sauti serve` (waitress, 8 threads) in a child process.

| measure | value | target |
| --- | --- | --- |
| start-up to a healthy `/healthz`, median of {STARTS} | {median(startups):.2f} s (min {min(startups):.2f}, max {max(startups):.2f}) | — |
| resident memory after start | {rss_start:.1f} MB | — |
| resident memory after {REQUESTS:,} requests (4 clients, pages, API, static; no sign-ins: see Memory below) | {rss_after:.1f} MB | < 120 MB |
""",
    )
    print(json.dumps({"startup_median_s": median(startups), "rss_after_mb": rss_after}))


if __name__ == "__main__":
    main()
