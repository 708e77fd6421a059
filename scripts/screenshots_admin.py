"""Screenshots of the admin pages at phone width (360 px) for docs/admin.md.

    .venv/bin/python scripts/screenshots_admin.py

Builds a node with an admin and a second node to enrol in a temporary folder,
serves it, and writes docs/img/admin-*.png (Kiswahili and Arabic).
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, LiveServer, add_user, make_home
from tests.sync_helpers import public_key


def shot(page, name: str, selector: str) -> None:
    """The element SELECTOR (with the page around it cut off) as docs/img/NAME."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.locator(selector).first.screenshot(path=str(ROOT / "docs" / "img" / name))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = make_home(Path(tmp) / "ward")
        child = make_home(Path(tmp) / "village", locality="KE/47/westlands/kangemi/gichagi")
        add_user(home, "boss", "admin")
        add_user(home, "amina", "council")
        server = LiveServer(home).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)  # fmt: skip
                page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
                page.goto(server.url + "/lang/sw?next=/login")
                page.fill("input[name=username]", "boss")
                page.fill("input[name=password]", PASSWORD)
                page.click("form button[type=submit]")
                page.goto(server.url + "/admin/")
                shot(page, "admin-facts-sw.png", "main section.card:has(dl.facts)")
                page.goto(server.url + "/admin/sync")
                page.fill("#child-name", "Gichagi")
                page.fill("#child-key", public_key(child))
                page.click("form[action$='/admin/sync/children'] button")
                shot(page, "admin-enrol-sw.png", "section.confirm")
                page.goto(server.url + "/lang/ar?next=/admin/settings")
                page.fill("#value-k", "1")
                page.click("#setting-k button")
                shot(page, "admin-setting-ar.png", "#setting-k")
                page.goto(server.url + "/admin/users")
                shot(page, "admin-users-ar.png", "main")
                browser.close()
        finally:
            server.stop()
    print("wrote docs/img/admin-*.png")


if __name__ == "__main__":
    main()
