"""End to end in headless Chromium at 360 x 740: a facilitator captures a need
with touch-sized controls on the real server."""

import re

import pytest

from app.node import home
from tests.conftest import PASSWORD, add_user

pytestmark = pytest.mark.browser

REF = re.compile(r"KAN-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")


@pytest.fixture
def facilitator(node_home):
    """A facilitator account, made before the live server starts."""
    add_user(node_home, "wanjiru", "facilitator")
    return "wanjiru"


def test_capture_a_need_by_touch(node_home, facilitator, live_server, page):
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", facilitator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/capture")

    page.fill("textarea[name=text]", "Tunahitaji maji safi karibu na shule")
    page.select_option("select[name=language]", "sw")
    page.click("label[for=cat-water]")
    assert page.is_checked("#cat-water")
    # the category's goal appears once it is chosen
    assert page.is_visible("label[for=cat-water] img[src$='sdg-6.svg']")
    plus = page.locator("[data-stepper] button[data-step='1']")
    plus.click()
    plus.click()
    assert page.input_value("input[name=supporters]") == "3"
    page.locator("[data-stepper] button[data-step='-1']").click()
    assert page.input_value("input[name=supporters]") == "2"

    # Touch targets: every control a finger needs is at least 44 px tall.
    page.click("details.more >> nth=0")
    page.click("details.more >> nth=1")
    targets = [
        "textarea[name=text]",
        "select[name=language]",
        ".cat-tile label",
        "[data-stepper] button",
        "input[name=supporters]",
        "details.more summary",
        "select[name=gender]",
        "select[name=age_band]",
        "label.chip",
        "input[name=respondent_name]",
        "input[name=respondent_contact]",
        "select[name=locality]",
        "form.capture button[type=submit]",
    ]
    for selector in targets:
        boxes = [box for box in page.locator(selector).all() if box.is_visible()]
        assert boxes, selector
        for element in boxes:
            height = element.bounding_box()["height"]
            assert height >= 44, f"{selector} is {height} px tall"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.click("form.capture button[type=submit]")
    # With offline-queue.js the page shows the code in its status area and
    # clears the form; without it, the receipt page shows it large.
    shown = page.locator(".ref, [data-offline-ref]:not([hidden])").first
    shown.wait_for(timeout=10_000)
    ref = REF.search(shown.text_content()).group(0)
    page.goto(live_server.url + f"/capture/receipt/{ref}")
    big = page.locator(".ref")
    assert big.text_content().strip() == ref
    assert big.bounding_box()["height"] >= 30

    db = home.open_home(node_home).connect()
    try:
        row = db.execute(
            "SELECT text, language, category, goals, supporters, channel FROM needs WHERE ref = ?",
            [ref],
        ).fetchone()
    finally:
        db.close()
    assert row == ("Tunahitaji maji safi karibu na shule", "sw", "water", "[6]", 2, "facilitator")


def test_meeting_with_a_plus_one(node_home, facilitator, live_server, page):
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", facilitator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/meetings")
    page.fill("input[name=title]", "Baraza la Kangemi")
    page.click("button:has-text('Open the meeting')")
    page.fill("input[name='att_female_25-34']", "7")
    page.fill("input[name='att_male_25-34']", "5")
    page.click("button:has-text('Save attendance')")
    assert "12 people" in page.text_content("#attendance summary")

    for text in ("Maji safi", "Shule ya msingi"):
        page.fill("#capture textarea[name=text]", text)
        page.select_option("#capture select[name=language]", "sw")
        page.click("label[for=mcat-water]")
        page.click("button:has-text('Save and capture the next')")
        assert REF.search(page.text_content(".ref-saved"))
    first = page.locator(".meeting-needs li", has_text="Maji safi")
    first.locator("button.plus-one").click()
    assert "2 people" in page.locator(".meeting-needs li", has_text="Maji safi").text_content()
    assert page.locator("button.plus-one").first.bounding_box()["height"] >= 44
    page.click("button:has-text('Close the meeting')")
    assert page.locator("button.plus-one").count() == 0
    assert "closed" in page.text_content("main")

    db = home.open_home(node_home).connect()
    try:
        rows = db.execute("SELECT text, supporters, channel FROM needs ORDER BY id").fetchall()
        kinds = [r[0] for r in db.execute("SELECT kind FROM events ORDER BY seq")]
    finally:
        db.close()
    assert rows == [("Maji safi", 2, "meeting"), ("Shule ya msingi", 1, "meeting")]
    assert kinds == ["need", "need", "need", "meeting"]
