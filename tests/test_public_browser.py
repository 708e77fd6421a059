"""End to end in headless Chromium: a citizen uses the kiosk, then looks the need up."""

import re
import uuid

import pytest

from app.node import home, settings

from .conftest import add_token

pytestmark = pytest.mark.browser


def test_kiosk_then_status_lookup_in_a_browser(node_home, page):
    from .conftest import LiveServer

    db = home.open_home(node_home).connect()
    try:
        settings.set_value(db, "kiosk", "on")
        # the status page shows exactly what a parent receives: every scrubbed text here
        settings.set_value(db, "share_text", "scrubbed")
    finally:
        db.close()
    token = add_token(node_home, "fatma", "facilitator")
    server = LiveServer(node_home).start()
    try:
        page.goto(server.url + "/kiosk")
        page.fill("#kiosk-text", "Hakuna taa sokoni usiku.")
        page.select_option("#kiosk-language", "sw")
        page.click("label[for=cat-safety]")  # a category tile, by touch
        page.click("button[type=submit]")
        ref = page.locator(".ref-code").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{1,3}-[A-Z0-9]{6}", ref)
        page.click("text=Check the status")
        assert "waiting for review" in page.content()

        # A need captured by a facilitator, with a phone number in its text.
        import json
        import urllib.request

        body = {
            "uuid": str(uuid.uuid4()),
            "text": "Daraja limevunjika. Nipigie 0722 111 222, Peter Banda.",
            "language": "sw",
            "category": "roads",
            "respondent": {"name": "Peter Banda", "contact": "0722 111 222"},
            "consent": True,
        }
        request = urllib.request.Request(
            server.url + "/api/v1/needs",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            captured = json.loads(response.read())
        page.goto(server.url + "/status")
        page.fill("#status-ref", " " + captured["ref"].lower().replace("-", " "))
        page.press("#status-ref", "Enter")
        page.wait_for_selector(".status-need")
        text = page.locator(".status-text").inner_text()
        # the respondent's own contact is [contact] (CONTRACT), other numbers [phone]
        assert "Daraja limevunjika" in text and "[contact]" in text and "[name]" in text
        assert "0722" not in page.content() and "Banda" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    finally:
        server.stop()
