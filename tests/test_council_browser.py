"""End to end in headless Chromium: a council member merges two needs,
creates a priority, adds an action, and the public board shows it in
Swahili and in Arabic (right to left)."""

import json
import urllib.request
import uuid

import pytest

from tests.conftest import PASSWORD, add_token, add_user

pytestmark = pytest.mark.browser


def _capture(url, token, text, supporters):
    body = json.dumps(
        {
            "uuid": str(uuid.uuid4()),
            "text": text,
            "language": "sw",
            "category": "water",
            "supporters": supporters,
        }
    ).encode()
    request = urllib.request.Request(
        url + "/api/v1/needs",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


@pytest.fixture
def council_member(node_home):
    add_user(node_home, "amina", "council")
    add_user(node_home, "peter", "facilitator")
    return add_token(node_home, "peter")


def test_merge_plan_act_and_report_back(node_home, council_member, live_server, page):
    url = live_server.url
    target = _capture(url, council_member, "Hakuna maji kwenye kisima", 4)
    dup = _capture(url, council_member, "hakuna maji kisimani", 3)

    page.goto(url + "/login")
    page.fill("input[name=username]", "amina")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    # triage: open the duplicate and merge it into the other by its reference code
    page.goto(url + "/council/")
    page.click(f"a:has-text('{dup['ref']}')")
    assert page.is_visible(f"#similar >> text={target['ref']}")  # suggested as similar
    page.fill("input[name=into_ref]", target["ref"])
    page.click("#decide button:has-text('Merge into it')")
    assert page.locator(f"h1:has-text('{target['ref']}')").is_visible()
    assert page.locator("dl.facts >> text=7").first.is_visible()  # 4 + 3 supporters
    assert page.locator(f"#merged code:has-text('{dup['ref']}')").is_visible()
    page.click("#decide button:has-text('Accept')")

    # a priority grouping the need, with an action
    page.goto(url + "/council/priorities/new")
    page.fill("input[name=title]", "Kisima kipya cha maji")
    page.fill("textarea[name=description]", "Kukarabati kisima cha kijiji")
    page.check("input[name=goals][value='6']")
    page.check(f"label:has-text('{target['ref']}') input")
    page.click("button:has-text('Create the priority')")
    assert page.locator("h1:has-text('Kisima kipya cha maji')").is_visible()
    page.fill("input[name=what]", "Rekebisha pampu")
    page.fill("input[name=responsible]", "Kamati ya maji ya kata")
    page.fill("input[name=due_date]", "2030-06-30")
    page.click("button:has-text('Add the action')")
    assert page.locator("table.actions >> text=Rekebisha pampu").is_visible()
    # share_text=reviewed (the default): the board shows the priority's texts, and its
    # actions', only once a council member has read them as they would leave and checked them
    page.check("input[name=checked]")
    page.click("form:has(input[name=checked]) button[type=submit]")

    # the public board, signed out, in Swahili then Arabic
    page.context.clear_cookies()
    page.goto(url + "/lang/sw?next=/board")
    assert page.locator("html").get_attribute("lang") == "sw"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("#priorities >> text=Kisima kipya cha maji").is_visible()
    assert page.locator("#priorities >> text=Rekebisha pampu").is_visible()
    assert page.locator(f"#needs td:first-child code:has-text('{target['ref']}')").is_visible()
    page.goto(url + "/lang/ar?next=/board")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("#priorities >> text=Kisima kipya cha maji").is_visible()
    # right to left: the priority card's text starts at the right edge
    card = page.locator(".board-priority h3").first.bounding_box()
    viewport = page.viewport_size["width"]
    assert card["x"] + card["width"] > viewport / 2
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
