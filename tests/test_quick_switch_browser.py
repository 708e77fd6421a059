"""The quick switch in a real Chromium against a real `sauti serve`: after a
facilitator locks the screen and another switches in with a PIN, nothing of the
first one's respondent data is on screen or comes back with the Back button."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, LiveServer, add_user

pytestmark = pytest.mark.browser

NAME = "Mary Achieng"


def password_sign_in(page, base, username):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def set_pin_and_lock(page, base, pin):
    page.goto(base + "/switch/pin")
    page.fill("#pin", pin)
    page.fill("#pin_again", pin)
    page.click("main form button[type=submit]")
    expect(page.locator("p.notice")).to_be_visible()
    page.click("main form[action='/switch/lock'] button")
    page.wait_for_url(lambda url: url.endswith("/switch"))


def test_nothing_of_the_previous_facilitator_stays(browser, node_home):
    add_user(node_home, "amina", "facilitator")
    add_user(node_home, "baraka", "facilitator")
    server = LiveServer(node_home).start()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    try:
        base = server.url
        password_sign_in(page, base, "baraka")
        set_pin_and_lock(page, base, "13579")
        password_sign_in(page, base, "amina")
        set_pin_and_lock(page, base, "2468")
        # Amina switches in with two taps and captures a need with a name.
        page.click("text=amina")
        page.fill("#pin", "2468")
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")
        page.goto(base + "/capture")
        page.fill("textarea[name=text]", "Kisima kimeharibika")
        page.locator("details.more > summary").nth(1).click()
        page.check("input[name=consent]")
        page.fill("#respondent_name", NAME)
        page.click("form[data-offline-queue] button[type=submit]")
        page.wait_for_url(lambda url: "/capture/receipt/" in url)
        ref = page.url.rsplit("/", 1)[-1]
        page.goto(f"{base}/needs/{ref}")
        expect(page.locator("main")).to_contain_text(NAME)

        page.click("footer form[data-lock-form] button")
        page.wait_for_url(lambda url: url.endswith("/switch"))
        expect(page.locator("main")).not_to_contain_text(NAME)
        page.go_back()  # no-store: the node is asked again, and says "locked"
        page.wait_for_load_state()
        expect(page.locator("main")).not_to_contain_text(NAME)
        assert "/needs/" not in page.url or "Sign in" in page.content()

        page.goto(base + "/switch")
        page.click("text=baraka")
        page.fill("#pin", "13579")
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")
        expect(page.locator("footer")).to_contain_text("baraka")
        for _ in range(6):  # walk back through the whole history of the tab
            page.go_back()
            page.wait_for_load_state()
            expect(page.locator("body")).not_to_contain_text(NAME)
        page.goto(f"{base}/needs/{ref}")  # baraka did not capture it: no name for him
        expect(page.locator("main")).to_contain_text("Kisima kimeharibika")
        expect(page.locator("main")).not_to_contain_text(NAME)
    finally:
        context.close()
        server.stop()
