"""Screenshots of the home page, the council dashboard and the public board (Arabic) for the
README, 900 px wide.

    .venv/bin/python scripts/screenshots.py

Builds the demo node (`sauti demo --home TMP --no-serve`) in a temporary
folder (it includes some council work: app/demo/council.py), serves it,
and writes docs/img/dashboard.png and docs/img/board.png.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from app.demo import credentials
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "app.cli", "demo", "--home", str(home), "--no-serve"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
        username, _role, password = next(c for c in credentials(home) if c[1] == "council")
        server = LiveServer(home).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)  # fmt: skip
                page = browser.new_context(viewport={"width": 900, "height": 900}).new_page()
                page.goto(server.url + "/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                out = ROOT / "docs" / "img"
                out.mkdir(parents=True, exist_ok=True)
                page.set_viewport_size({"width": 900, "height": 640})
                page.screenshot(path=str(out / "home.png"))
                page.set_viewport_size({"width": 900, "height": 900})
                page.goto(server.url + "/council/dashboard")
                page.screenshot(path=str(out / "dashboard.png"), full_page=True)
                page.context.clear_cookies()
                page.goto(server.url + "/lang/ar?next=/board")
                page.screenshot(path=str(out / "board.png"), full_page=True)
                browser.close()
        finally:
            server.stop()
    print("wrote docs/img/home.png, docs/img/dashboard.png and docs/img/board.png")


if __name__ == "__main__":
    main()
