"""Run benchmark sections and assemble BENCHMARKS.md with the machine and date."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import RESULTS, ROOT, machine  # noqa: E402

SECTIONS = ["serve", "capture", "memory", "sync", "aggregates", "national"]


def main(names: list[str]) -> int:
    wanted = names or SECTIONS
    failed = []
    for name in wanted:
        script = ROOT / "scripts" / f"bench_{name}.py"
        if not script.exists():
            print(f"(no benchmark for {name} yet)")
            continue
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode != 0:
            failed.append(name)
    parts = [
        "# Benchmarks\n",
        f"Machine: {machine()}  \nDate: {dt.date.today().isoformat()}  \n"
        "Written by `scripts/bench`; each section is re-measured when its benchmark runs "
        "(the date of a section is the date of this file unless stated). Figures are medians "
        "or ratios measured side by side in one run; these machines are noisy.\n",
    ]
    for name in SECTIONS:
        section = RESULTS / f"{name}.md"
        if section.exists():
            parts.append(section.read_text())
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts))
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
