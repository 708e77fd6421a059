"""The disparity and Goals views in real headless Chromium, English and Arabic."""

import pytest

from app.node.home import open_home
from tests import aggregate_data as data
from tests.conftest import PASSWORD, LiveServer, add_user, make_home

pytestmark = pytest.mark.browser


@pytest.fixture
def region(tmp_path):
    home = make_home(
        tmp_path / "region", name="Westlands", level="district", locality="KE/47/westlands"
    )
    db = open_home(home).connect()
    data.fill_demo(db, needs=900)
    db.close()
    add_user(home, "ana", "analyst")
    server = LiveServer(home).start()
    yield server
    server.stop()


def sign_in(page, url):
    page.goto(url + "/login")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_disparity_and_goals_views_in_english_and_arabic(page, region):
    url = region.url
    sign_in(page, url)
    page.goto(url + "/aggregate/disparities")
    assert page.locator("h1").inner_text() == "Disparities"
    rows = page.locator("#disparity-table tbody tr")
    assert rows.count() == 4
    names = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    assert names[0].startswith("Kangemi North") and names[3].startswith("Gichagi")
    assert page.locator("figure.chart svg rect.chart-bar").count() >= 1
    assert "Participation data, not a representative sample." in page.content()
    page.select_option("#indicator", "women_attendance")
    page.click("form.agg-form button[type=submit]")
    assert "indicator=women_attendance" in page.url
    assert page.locator("#disparity-table tr.agg-far").count() >= 1  # Mountain View stands out

    page.goto(url + "/aggregate/goals")
    assert page.locator("#goals-table tbody tr").count() == 17
    assert page.locator("figure.chart svg").count() == 1

    page.goto(url + "/lang/ar?next=/aggregate/goals")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#goals-table tbody tr").count() == 17
    page.goto(url + "/aggregate/disparities")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "كانجيمي الشمالية" in page.locator("#disparity-table").inner_text()
    # readable at 360 px: the page itself does not scroll sideways
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 370
