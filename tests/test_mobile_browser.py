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
        raised = NeedInSchema(node_locality=DEMO_LOCALITY).load({
            "uuid": str(uuid.uuid4()), "text": "Shule inahitaji madawati", "language": "sw",
            "channel": "meeting",
        })  # fmt: skip
        needs_store.insert(db, raised, submission_hash=submission_hash(raised), meeting_id=meeting)
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


def _lang(page, demo, lang, path):
    page.goto(demo["url"] + f"/lang/{lang}?next={path}")


@pytest.mark.parametrize("lang", ("sw", "ar"))
def test_the_needs_list_shows_many_needs_per_screen(demo, phone, lang):
    sign_in(phone, demo)
    _lang(phone, demo, lang, "/needs")
    items = phone.locator(".cap-list > li")
    assert items.count() == 50
    heights = [items.nth(i).bounding_box()["height"] for i in range(items.count())]
    assert max(heights) <= HEIGHT / 6, heights  # at least six needs per screen
    first = items.first
    expect(first.locator("img")).to_be_visible()  # the category pictogram
    for part in (".cap-status", ".cap-people", ".cap-ref", "bdi"):
        expect(first.locator(part)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.mark.parametrize("lang", ("sw", "ar"))
def test_the_attendance_grid_fits_and_shows_totals(demo, phone, lang):
    sign_in(phone, demo)
    _lang(phone, demo, lang, f"/meetings/{demo['meeting']}")
    phone.locator("#attendance summary").click()
    table = phone.locator("table.attendance")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    for cell in phone.locator("table.attendance thead th").all():
        cell_box = cell.bounding_box()
        assert 0 <= cell_box["x"] and cell_box["x"] + cell_box["width"] <= WIDTH
    assert phone.locator("output[data-total=all]").text_content() == "15"
    phone.fill("input[name='att_female_25-34']", "20")
    expect(phone.locator("output[data-total=all]")).to_have_text("23")
    expect(phone.locator("output[data-total='0']")).to_have_text("20")


def test_right_to_left_keeps_plus_one_and_arrows_the_right_way(demo, phone):
    sign_in(phone, demo)
    _lang(phone, demo, "ar", f"/meetings/{demo['meeting']}")
    plus = phone.locator("button.plus-one bdi").first
    assert plus.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert plus.text_content() == "+1"
    # an age band reads "0–14", never "14–0"
    band = phone.locator("table.attendance tbody th").first.text_content().strip()
    assert band == "\u20660–14\u2069", band
    phone.goto(demo["url"] + f"/needs/{demo['ref']}")
    change = phone.locator(".history li li").filter(
        has=phone.locator("del", has_text=re.compile("^\u2066?1\u2069?$"))
    ).first
    old, new = change.locator("del").bounding_box(), change.locator("ins").bounding_box()
    isolated = "\u2066{}\u2069"  # left-to-right isolates around numbers
    assert change.locator("del").text_content() == isolated.format(1)
    assert change.locator("ins").text_content() == isolated.format(7)
    assert old["x"] > new["x"]  # read right to left: from 1 to 7
    assert "←" in change.text_content() and "→" not in change.text_content()


def test_without_javascript_nothing_shown_does_nothing(demo, browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT},
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    try:
        sign_in(page, demo)
        page.goto(demo["url"] + "/capture")
        assert page.locator("[data-stepper] button").count() == 2
        for button in page.locator("[data-stepper] button").all():
            expect(button).to_be_hidden()
        expect(page.locator("[data-offline-status]")).to_be_hidden()
        page.goto(demo["url"] + f"/capture/receipt/{demo['ref']}")
        expect(page.locator("[data-print]")).to_be_hidden()
        expect(page.locator(".slip-check")).to_contain_text("/status")
    finally:
        context.close()


def test_the_printed_slip_is_the_slip_alone(demo, phone):
    sign_in(phone, demo)
    phone.goto(demo["url"] + f"/capture/receipt/{demo['ref']}")
    expect(phone.locator("[data-print]")).to_be_visible()
    phone.emulate_media(media="print")
    expect(phone.locator(".slip")).to_be_visible()
    for hidden in (".top", ".foot", ".notice", ".actions", "[data-print]"):
        expect(phone.locator(hidden).first).to_be_hidden()


def test_changing_the_interface_language_keeps_what_was_typed(demo, phone):
    sign_in(phone, demo)
    _lang(phone, demo, "en", "/capture")
    phone.fill("textarea[name=text]", "Daraja limevunjika karibu na soko")
    phone.select_option("select[name=language]", "sw")
    phone.click("label[for=cat-roads]")
    phone.locator(".lang summary").click()
    phone.locator(".lang a[lang=ar]").click()
    phone.wait_for_url(re.compile(r"/capture$"))
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.input_value("textarea[name=text]") == "Daraja limevunjika karibu na soko"
    assert phone.input_value("select[name=language]") == "sw"
    assert phone.is_checked("#cat-roads")
    # the place is offered by name, its code only behind it
    options = phone.locator("select[name=locality] option").all_text_contents()
    assert "Kangemi" in options and not any("/" in o for o in options)


def test_needs_sent_from_the_queue_show_their_codes(demo, browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT},
                                  service_workers="block")  # fmt: skip
    page = context.new_page()
    try:
        sign_in(page, demo)
        page.goto(demo["url"] + "/capture")
        page.route("**/api/v1/needs", lambda route: route.abort("connectionrefused"))
        text = f"Foleni ya nje ya mtandao {dt.datetime.now().timestamp()}"
        page.fill("textarea[name=text]", text)
        page.click("form.capture button[type=submit]")
        expect(page.locator("[data-offline-count]")).to_have_text("1")
        page.unroute("**/api/v1/needs")
        page.click("[data-offline-send]")
        expect(page.locator("[data-offline-count]")).to_have_text("0", timeout=30_000)
        sent = page.locator("[data-offline-sent-list] li").first
        expect(sent).to_be_visible()
        ref = sent.locator(".offline-sent-ref").text_content()
        assert re.fullmatch(r"[A-Z0-9]+-[A-Z0-9]{6}|[A-Z0-9]{6}", ref)
        expect(sent).to_contain_text(text[:40])
        sent.locator("a").click()
        expect(page.locator(".ref")).to_have_text(ref)
        page.go_back()
        expect(page.locator("[data-offline-sent-list] li").first).to_contain_text(ref)
    finally:
        context.close()
