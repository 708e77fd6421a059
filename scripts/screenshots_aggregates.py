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

from playwright.sync_api import sync_playwright

from app.node.home import open_home
from tests import aggregate_data as data
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, LiveServer, add_user, make_home


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = make_home(Path(tmp) / "region", name="Westlands", level="district",
                         locality="KE/47/westlands")  # fmt: skip
        db = open_home(home).connect()
        data.fill_demo(db, needs=2500)
        db.close()
        add_user(home, "ana", "analyst")
        server = LiveServer(home).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)  # fmt: skip
                page = browser.new_context(viewport={"width": 900, "height": 900}).new_page()
                page.goto(server.url + "/login")
                page.fill("input[name=username]", "ana")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                out = ROOT / "docs" / "img"
                out.mkdir(parents=True, exist_ok=True)
                page.goto(server.url + "/aggregate/disparities?indicator=women_attendance")
                page.screenshot(path=str(out / "disparities.png"), full_page=True)
                page.goto(server.url + "/aggregate/goals?goal=6")
                page.screenshot(path=str(out / "goals.png"), full_page=True)
                browser.close()
        finally:
            server.stop()
    print("wrote docs/img/disparities.png and docs/img/goals.png")


if __name__ == "__main__":
    main()
