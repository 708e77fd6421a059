"""Screenshots of the disparity and Goals views for the README (900 px wide).

    .venv/bin/python scripts/screenshots_aggregates.py

Builds a district node with generated data in a temporary folder, serves it,
and writes docs/img/disparities.png and docs/img/goals.png.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


import shotlib

from app.node.home import open_home
from tests import aggregate_data as data
from tests.conftest import PASSWORD, add_user, make_home


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = make_home(Path(tmp) / "region", name="Westlands", level="district",
                         locality="KE/47/westlands")  # fmt: skip
        db = open_home(home).connect()
        data.fill_demo(db, needs=2500)
        db.close()
        add_user(home, "ana", "analyst")
        with shotlib.signed_in(home, "ana", PASSWORD) as (page, url):
            out = ROOT / "docs" / "img"
            out.mkdir(parents=True, exist_ok=True)
            page.goto(url + "/aggregate/disparities?indicator=women_attendance")
            page.screenshot(path=str(out / "disparities.png"), full_page=True)
            page.goto(url + "/aggregate/goals?goal=6")
            page.screenshot(path=str(out / "goals.png"), full_page=True)
    print("wrote docs/img/disparities.png and docs/img/goals.png")


if __name__ == "__main__":
    main()
