"""A full disk seen from the tablet (issue 12): the real node answers 507
`disk_full`, the page's offline queue keeps the need, and it reaches the node
once space returns. Real `sauti serve` on a small tmpfs, real Chromium."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer, add_token, add_user, make_home
from tests.test_disk_full import fill, need, post_need, small_disk  # noqa: F401 (fixture)
from tests.test_offline_browser import DRAIN_TIMEOUT, capture, sign_in, stored_texts, waiting

pytestmark = pytest.mark.browser


def test_the_tablet_queue_keeps_a_need_the_full_node_refused(browser, small_disk):  # noqa: F811
    node_home = make_home(small_disk / "home")
    add_user(node_home, "chiku", "facilitator")
    token = add_token(node_home, "chiku")
    server = LiveServer(node_home).start()
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    answers = []
    page.on("response", lambda r: answers.append(r.status) if r.url.endswith("/api/v1/needs")
            and r.request.method == "POST" else None)
    try:
        sign_in(page, server.url, "chiku")
        page.goto(server.url + "/capture")
        fill(small_disk)
        for i in range(400):  # bounded: until the node itself refuses for want of space
            status, body = post_need(server.url, token, need(f"{i} " + "kisima " * 700))
            if status != 201:
                break
        assert status == 507 and body["error"] == "disk_full"

        text = f"Zahanati haina muuguzi {uuid.uuid4().hex[:6]}"
        capture(page, text)
        expect(waiting(page)).to_have_text("1")
        for _ in range(100):  # bounded: the page's first try reaches the node
            if 507 in answers:
                break
            page.wait_for_timeout(100)
        assert 507 in answers
        expect(waiting(page)).to_have_text("1")
        assert text not in stored_texts(node_home)

        (small_disk / "filler").unlink()
        expect(waiting(page)).to_have_text("0", timeout=DRAIN_TIMEOUT)
        assert stored_texts(node_home).count(text) == 1
    finally:
        context.close()
        server.stop()
