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


import shotlib

from tests.conftest import PASSWORD, add_user, make_home
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
        sign_in = shotlib.signed_in(home, "boss", PASSWORD, width=360, height=740,
                                    login_path="/lang/sw?next=/login")  # fmt: skip
        with sign_in as (page, url):
            page.goto(url + "/admin/")
            shot(page, "admin-facts-sw.png", "main section.card:has(dl.facts)")
            page.goto(url + "/admin/sync")
            page.fill("#child-name", "Gichagi")
            page.fill("#child-key", public_key(child))
            page.click("form[action$='/admin/sync/children'] button")
            shot(page, "admin-enrol-sw.png", "section.confirm")
            page.goto(url + "/lang/ar?next=/admin/settings")
            page.fill("#value-k", "1")
            page.click("#setting-k button")
            shot(page, "admin-setting-ar.png", "#setting-k")
            page.goto(url + "/admin/users")
            shot(page, "admin-users-ar.png", "main")
    print("wrote docs/img/admin-*.png")


if __name__ == "__main__":
    main()
