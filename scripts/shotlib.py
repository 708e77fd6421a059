"""What every screenshot script does first: serve a node home on 127.0.0.1, start
Debian's Chromium (never a download), sign a user in, hand over the page.

    with signed_in(home, "amina", PASSWORD, width=360, height=740) as (page, url):
        page.goto(url + "/council/")
"""

import contextlib
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402


@contextlib.contextmanager
def signed_in(home: Path, username: str, password: str, *, width: int = 900,
              height: int = 900, login_path: str = "/login"):  # fmt: skip
    """(page, server url) with USERNAME signed in at a WIDTH x HEIGHT viewport;
    LOGIN_PATH may choose the language first (/lang/sw?next=/login)."""
    server = LiveServer(home).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)  # fmt: skip
            try:
                page = browser.new_context(viewport={"width": width, "height": height}).new_page()
                page.goto(server.url + login_path)
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("form button[type=submit]")
                yield page, server.url
            finally:
                browser.close()
    finally:
        server.stop()


def demo_home(folder: Path, role: str) -> tuple[Path, str, str]:
    """The demo node built in FOLDER/demo (as `sauti demo` builds it), and the user
    name and password of its user with ROLE."""
    from app.demo import credentials

    home = folder / "demo"
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "app.cli", "demo", "--home", str(home), "--no-serve"],
                   check=True, cwd=root, stdout=subprocess.DEVNULL)  # fmt: skip
    username, _role, password = next(c for c in credentials(home) if c[1] == role)
    return home, username, password
