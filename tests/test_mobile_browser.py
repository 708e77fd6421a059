"""Facilitators and citizens on a cheap phone (360 x 740 px), in English, Kiswahili
and Arabic: every capture, kiosk, status and board page passes axe-core with no
critical or serious violation and never scrolls sideways; the needs list shows
many needs per screen; what is shown works without JavaScript; right-to-left
pages keep "+1" and "from → to" the right way round."""

import datetime as dt
import re
import uuid

import pytest
from playwright.sync_api import expect

from app.demo import LOCALITY as DEMO_LOCALITY
from app.demo import build, credentials
from app.node import home
from app.store import meetings as meeting_store
from app.store import needs as needs_store
from schema.need import NeedInSchema, submission_hash
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 740
LANGS = ("en", "sw", "ar")
BAD_IMPACT = ("critical", "serious")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo node (needs in six languages, meetings, priorities, the kiosk on), with
    an open meeting and a checked need whose text holds a name and a phone number."""
    path = tmp_path_factory.mktemp("mobile") / "demo"
    build(path, progress=lambda *a: None)
    db = home.open_home(path).connect()
    try:
        need = NeedInSchema(node_locality=DEMO_LOCALITY).load({
            "uuid": str(uuid.uuid4()), "text": "Amina (0712 345 678) anaomba kituo cha maji",
            "language": "sw", "respondent": {"name": "Amina"}, "consent": True,
            "category": "water",
        })  # fmt: skip
        stored, _new = needs_store.insert(db, need, submission_hash=submission_hash(need),
                                          ref_prefix="KAN")  # fmt: skip
        needs_store.mark_text_checked(db, stored["id"])
        needs_store.update(db, stored["id"], {"supporters": 7})
        meeting = meeting_store.open_meeting(db, title="Baraza la wazi", date="2026-11-30",
                                             locality=DEMO_LOCALITY + "/kangemi", opened_by=None)  # fmt: skip
        meeting_store.set_attendance(db, meeting, {("female", "25-34"): 12, ("male", "65+"): 3})
    finally:
        db.close()
    server = LiveServer(path).start()
    user, _role, password = next(c for c in credentials(path) if c[1] == "facilitator")
    yield {"url": server.url, "ref": stored["ref"], "meeting": meeting, "login": (user, password)}
    server.stop()


def sign_in(page, demo) -> None:
    page.goto(demo["url"] + "/login")
    page.fill("#username", demo["login"][0])
    page.fill("#password", demo["login"][1])
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def pages_of(demo) -> list[str]:
    ref = demo["ref"]
    return [
        "/capture", "/needs", "/needs?q=maji", f"/needs/{ref}", f"/needs/{ref}/edit",
        f"/capture/receipt/{ref}", "/meetings", f"/meetings/{demo['meeting']}", "/capture/paper",
        "/kiosk", "/status", f"/status?ref={ref}", "/board", "/board/notice",
    ]  # fmt: skip


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-US")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_passes_axe_and_fits_360_px(demo, phone, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    sign_in(phone, demo)
    phone.goto(demo["url"] + f"/lang/{lang}?next=/capture")
    problems = []
    for path in pages_of(demo):
        answer = phone.goto(demo["url"] + path)
        assert answer.status == 200, path
        assert phone.get_attribute("html", "lang") == lang
        wide = phone.evaluate("document.documentElement.scrollWidth")
        if wide > WIDTH:
            problems.append(f"{path}: {wide} px wide")
        for violation in axe.run(phone).response["violations"]:
            if violation["impact"] in BAD_IMPACT:
                targets = [n["target"] for n in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert not problems, "\n".join(problems)
