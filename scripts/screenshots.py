"""Screenshots of the home page, the council dashboard and the public board (Arabic) for the
README, 900 px wide.

    .venv/bin/python scripts/screenshots.py

Builds the demo node (`sauti demo --home TMP --no-serve`) in a temporary
folder (it includes some council work: app/demo/council.py), serves it,
and writes docs/img/dashboard.png and docs/img/board.png.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


import shotlib


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home, username, password = shotlib.demo_home(Path(tmp), "council")
        with shotlib.signed_in(home, username, password) as (page, url):
            out = ROOT / "docs" / "img"
            out.mkdir(parents=True, exist_ok=True)
            page.set_viewport_size({"width": 900, "height": 640})
            page.screenshot(path=str(out / "home.png"))
            page.set_viewport_size({"width": 900, "height": 900})
            page.goto(url + "/council/dashboard")
            page.screenshot(path=str(out / "dashboard.png"), full_page=True)
            page.context.clear_cookies()
            page.goto(url + "/lang/ar?next=/board")
            page.screenshot(path=str(out / "board.png"), full_page=True)
    print("wrote docs/img/home.png, docs/img/dashboard.png and docs/img/board.png")


if __name__ == "__main__":
    main()
