"""What a hostile child's "column bomb" (issue 10, attack 2) costs a parent: a bundle
of about a kilobyte whose columns of one-character values unpack into ROWS rows.
Measures the parent's receive alone: CPU seconds and peak Python memory (tracemalloc).

    .venv/bin/python scripts/bench_bomb.py [--rows 200000]
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.node import home  # noqa: E402
from sync import inbox  # noqa: E402
from sync.local import Local  # noqa: E402
from tests.adversarial import forge  # noqa: E402
from tests.sync_helpers import enrol, node  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sauti-bomb-"))
    region = node(tmp / "r", "R", "region", "KE/47")
    child = node(tmp / "c", "C", "community", "KE/47/westlands/kangemi")
    enrol(region, child, "C")
    raw = forge.column_bomb(forge.identity(child), args.rows)
    local = Local.open(home.open_home(region))
    tracemalloc.start()
    cpu = time.process_time()
    try:
        inbox.receive(local, raw)
        outcome = "accepted"
    except Exception as exc:  # noqa: BLE001 - the figure is what happened
        outcome = f"refused: {getattr(exc, 'code', type(exc).__name__)}"
    cpu = time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    print(f"| {args.rows:,} rows | {len(raw):,} B | {outcome} | {cpu:.3f} s | {peak / 1e6:.1f} MB |")


if __name__ == "__main__":
    main()
