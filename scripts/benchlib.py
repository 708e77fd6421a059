"""Helpers shared by the benchmark scripts: servers, timing, Markdown output."""

import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench-results"


SERVING = re.compile(rb"Sauti serving .* on https?://\S+:(\d+)")


def start_server(home: Path, port: int | None = None, log: Path | None = None):
    """Start `sauti serve` (port 0 by default: the system picks a free one as the
    server binds it); returns (process, base url, seconds until /healthz answered)."""
    log = log or Path(tempfile.mkstemp(prefix="sauti-bench-", suffix=".log")[1])
    offset = log.stat().st_size if log.exists() else 0
    started = time.perf_counter()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--home", str(home), "--port", str(port or 0)],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
    deadline = started + 30
    url = None
    while time.perf_counter() < deadline and proc.poll() is None:
        if url is None:
            with open(log, "rb") as f:
                f.seek(offset)
                bound = SERVING.search(f.read())
            if bound:
                url = f"http://127.0.0.1:{int(bound.group(1))}"
        if url:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return proc, url, time.perf_counter() - started
            except OSError:
                pass
        time.sleep(0.01)
    proc.kill()
    raise RuntimeError(f"server did not start (see {log})")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values, p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values) -> float:
    return statistics.median(values)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def write_section(name: str, markdown: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(markdown.rstrip() + "\n")
    print(markdown)
