"""Offline capture end to end: real `sauti serve`, real headless Chromium.

The node is stopped while a facilitator keeps capturing; the needs wait in
the page's IndexedDB queue and reach the node exactly once when it is back:
on localhost (where the service worker also keeps the page) and at a
plain-HTTP LAN name (where no service worker can run)."""

import json
import os
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from app.node import home
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, LiveServer, add_user

pytestmark = pytest.mark.browser

DRAIN_TIMEOUT = 30_000  # ms: the retry back-off starts at 2 s


def stored_texts(node_home) -> list[str]:
    db = home.open_home(node_home).connect()
    try:
        return [r["text"] for r in db.query("SELECT text FROM needs ORDER BY id")]
    finally:
        db.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def capture(page, text: str) -> None:
    page.fill("form[data-offline-queue] textarea[name=text]", text)
    page.click("form[data-offline-queue] button[type=submit]")


def waiting(page):
    return page.locator("[data-offline-count]")


def new_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    return context, context.new_page()


def kept_by_service_worker(page) -> bool:
    return page.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) {
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            if (!navigator.serviceWorker.controller) return false;
            for (const key of await caches.keys()) {
                if (await (await caches.open(key)).match('/capture')) return true;
            }
            return false;
        }"""
    )


def test_needs_captured_while_the_node_is_down_reach_it_once_on_localhost(browser, node_home):
    add_user(node_home, "amina", "facilitator")
    server = LiveServer(node_home).start()
    context, page = new_page(browser)
    try:
        sign_in(page, server.url, "amina")
        page.goto(server.url + "/capture")
        expect(page.locator("[data-offline-status]")).to_be_visible()
        expect(waiting(page)).to_have_text("0")
        assert kept_by_service_worker(page)

        server.stop()
        page.reload()  # the node is gone: the service worker serves the kept page
        expect(page.locator("form[data-offline-queue]")).to_be_visible()
        uuids = set()
        for n in range(1, 4):
            uuids.add(page.input_value("form[data-offline-queue] input[name=uuid]"))
            capture(page, f"Offline need {n}: the borehole pump is broken")
            expect(waiting(page)).to_have_text(str(n))
            expect(page.locator("textarea[name=text]")).to_have_value("")
        assert len(uuids) == 3  # a fresh uuid for every need
        page.reload()  # the queue outlives the page
        expect(waiting(page)).to_have_text("3")
        assert stored_texts(node_home) == []

        server = LiveServer(node_home, port=server.port).start()
        expect(waiting(page)).to_have_text("0", timeout=DRAIN_TIMEOUT)
        texts = stored_texts(node_home)
        assert sorted(texts) == [
            f"Offline need {n}: the borehole pump is broken" for n in (1, 2, 3)
        ]
    finally:
        context.close()
        server.stop()


@pytest.fixture(scope="module")
def lan_browser(browser):
    """Chromium that resolves sauti.lan to this machine: a plain-HTTP LAN name,
    not a secure context, so no service worker and no crypto.randomUUID."""
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP sauti.lan 127.0.0.1"],
    )
    yield instance
    instance.close()


def test_needs_queue_and_reach_the_node_once_at_a_plain_http_lan_name(lan_browser, node_home):
    add_user(node_home, "baraka", "facilitator")
    server = LiveServer(node_home).start()
    base = f"http://sauti.lan:{server.port}"
    context, page = new_page(lan_browser)
    try:
        sign_in(page, base, "baraka")
        page.goto(base + "/capture")
        assert page.evaluate("isSecureContext") is False
        assert page.evaluate("'serviceWorker' in navigator") is False
        assert page.evaluate("typeof crypto.randomUUID") == "undefined"
        expect(page.locator("[data-offline-status]")).to_be_visible()

        server.stop()
        for n in range(1, 4):
            capture(page, f"Njia {n} imeharibika")
            expect(waiting(page)).to_have_text(str(n))
        uuids = page.evaluate(
            """() => new Promise(resolve => {
                const open = indexedDB.open('sauti-offline');
                open.onsuccess = () => {
                    const all = open.result.transaction('outbox').objectStore('outbox').getAll();
                    all.onsuccess = () => resolve(all.result.map(item => item.uuid));
                };
            })"""
        )
        assert len(set(uuids)) == 3
        assert all(len(u) == 36 and u[14] == "4" for u in uuids)  # version-4 UUIDs

        server = LiveServer(node_home, port=server.port).start()
        expect(waiting(page)).to_have_text("0", timeout=DRAIN_TIMEOUT)
        assert sorted(stored_texts(node_home)) == [f"Njia {n} imeharibika" for n in (1, 2, 3)]
    finally:
        context.close()
        server.stop()


def test_a_server_error_keeps_the_need_queued_until_the_node_stores_it(
    browser, node_home, live_server
):
    add_user(node_home, "chiku", "facilitator")
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    answers = []

    def broken(route):
        answers.append(503)
        route.fulfill(
            status=503,
            content_type="application/json",
            body=json.dumps({"error": "unavailable", "message": "busy", "details": {}}),
        )

    try:
        sign_in(page, live_server.url, "chiku")
        page.goto(live_server.url + "/capture")
        page.route("**/api/v1/needs", broken)
        capture(page, "Clinic has no nurse")
        expect(waiting(page)).to_have_text("1")
        for _ in range(100):  # the first retry (after 2 s) gets a 503 again
            if len(answers) >= 2:
                break
            page.wait_for_timeout(100)
        assert len(answers) >= 2
        expect(waiting(page)).to_have_text("1")
        assert stored_texts(node_home) == []

        page.unroute("**/api/v1/needs", broken)
        expect(waiting(page)).to_have_text("0", timeout=DRAIN_TIMEOUT)
        assert stored_texts(node_home) == ["Clinic has no nurse"]
    finally:
        context.close()


def test_a_saved_queue_file_imports_once_on_the_server_page(
    browser, node_home, live_server, tmp_path
):
    add_user(node_home, "dalia", "facilitator")
    context = browser.new_context(service_workers="block", accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "dalia")
        page.goto(live_server.url + "/capture")
        page.route("**/api/v1/needs", lambda route: route.abort("connectionrefused"))
        capture(page, "School roof leaks")
        # kept, and the form cleared for the next one (typing on while the page still
        # handled the first need lost the second text to that clearing now and then)
        expect(waiting(page)).to_have_text("1")
        capture(page, "Market road is flooded")
        expect(waiting(page)).to_have_text("2")

        with page.expect_download() as download:
            page.click("[data-offline-save]")
        saved = tmp_path / "queue.json"
        download.value.save_as(saved)
        document = json.loads(saved.read_text())
        assert [i["body"]["text"] for i in document["items"]] == [
            "School roof leaks",
            "Market road is flooded",
        ]

        page.goto(live_server.url + "/capture/queue-import")
        page.set_input_files("input[name=queue_file]", saved)
        page.click("main button[type=submit]")
        expect(page.locator("tr[data-outcome=stored]")).to_have_count(2)
        page.set_input_files("input[name=queue_file]", saved)
        page.click("main button[type=submit]")
        expect(page.locator("tr[data-outcome=already]")).to_have_count(2)
        expect(page.locator("tr[data-outcome=stored]")).to_have_count(0)
        assert sorted(stored_texts(node_home)) == ["Market road is flooded", "School roof leaks"]

        # the page's own queue then sends the same uuids: still stored once
        page.unroute("**/api/v1/needs")
        page.goto(live_server.url + "/capture")
        expect(waiting(page)).to_have_text("0", timeout=DRAIN_TIMEOUT)
        assert len(stored_texts(node_home)) == 2
    finally:
        context.close()


def test_a_queued_need_the_node_refuses_leaves_the_queue_and_is_shown(
    browser, node_home, live_server
):
    add_user(node_home, "esi", "facilitator")
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "esi")
        page.goto(live_server.url + "/capture")
        page.route("**/api/v1/needs", lambda route: route.abort("connectionrefused"))
        capture(page, "Bridge washed away")
        expect(waiting(page)).to_have_text("1")
        page.unroute("**/api/v1/needs")
        refusal = {
            "error": "invalid",
            "message": "Some fields are not valid.",
            "details": {"language": ["Not a language tag."]},
        }
        page.route(
            "**/api/v1/needs",
            lambda route: route.fulfill(
                status=422, content_type="application/json", body=json.dumps(refusal)
            ),
        )
        page.click("[data-offline-send]")
        expect(waiting(page)).to_have_text("0")
        expect(page.locator("[data-offline-rejected]")).to_be_visible()
        expect(page.locator("[data-offline-rejected-list] li")).to_contain_text(
            "language: Not a language tag."
        )
        assert stored_texts(node_home) == []
    finally:
        context.close()


def test_online_the_form_goes_through_the_api_to_the_receipt(browser, node_home, live_server):
    add_user(node_home, "fatma", "facilitator")
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    try:
        sign_in(page, live_server.url, "fatma")
        page.goto(live_server.url + "/capture")
        # a field error: nothing queued, the server's own form explains it
        page.click("form[data-offline-queue] button[type=submit]")
        expect(page.locator("#text-error")).to_be_visible()
        # the page's offline-queue.js has run (it shows the status): a click before
        # that was a plain form post, and the need went the no-JavaScript way
        expect(page.locator("[data-offline-status]")).to_be_visible()
        expect(waiting(page)).to_have_text("0")
        capture(page, "Hospitali iko mbali sana")
        page.wait_for_url("**/capture/receipt/**")
        ref = page.url.rsplit("/", 1)[-1]
        db = home.open_home(node_home).connect()
        try:
            row = db.execute("SELECT ref, text, captured_at FROM needs").fetchall()
        finally:
            db.close()
        assert [(r[0], r[1]) for r in row] == [(ref, "Hospitali iko mbali sana")]
        assert row[0][2]  # the device's time came along
        assert posts[-1].endswith("/api/v1/needs")
    finally:
        context.close()


def TLSLiveServer(node_home, port=None) -> LiveServer:
    """`sauti serve --tls` in a child process, checked against the node's CA, at localhost."""
    return LiveServer(node_home, port, tls=True, url_host="localhost")


@pytest.mark.skipif(not shutil.which("certutil"), reason="needs certutil (Debian: libnss3-tools)")
def test_over_https_with_the_node_ca_installed_the_page_opens_and_sends_later(
    browser, node_home, tmp_path
):
    """As on a tablet that installed the node CA: Chromium trusts the node's
    name-constrained CA (its own NSS store, like Android's user CA store)."""
    nss = tmp_path / "user" / ".pki" / "nssdb"
    nss.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"], check=True)
    ca = node_home / "tls" / "ca.crt"
    subprocess.run(
        ["certutil", "-A", "-n", "sauti", "-t", "C,,", "-i", str(ca), "-d", f"sql:{nss}"],
        check=True,
    )
    tablet = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        env={**os.environ, "HOME": str(tmp_path / "user")},
    )
    add_user(node_home, "gift", "facilitator")
    server = TLSLiveServer(node_home).start()
    try:
        _context, page = new_page(tablet)
        sign_in(page, server.url, "gift")  # no certificate error: the CA is trusted
        page.goto(server.url + "/capture")
        assert kept_by_service_worker(page)
        server.stop()
        page.reload()
        capture(page, "Solar lamps for the school")
        expect(waiting(page)).to_have_text("1")
        server = TLSLiveServer(node_home, port=server.port).start()
        expect(waiting(page)).to_have_text("0", timeout=DRAIN_TIMEOUT)
        assert stored_texts(node_home) == ["Solar lamps for the school"]
    finally:
        tablet.close()
        server.stop()


def test_typing_the_next_need_while_one_is_sending_keeps_it(browser, node_home, live_server):
    """The page clears the form once a need is sent; a facilitator who already typed
    the next one while it was on its way (a slow link) keeps it, as a new need."""
    add_user(node_home, "femi", "facilitator")
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    held = []

    def hold(route):
        held.append(route)

    try:
        sign_in(page, live_server.url, "femi")
        page.goto(live_server.url + "/capture")
        # offline-queue.js has run (it shows the status); a click before is a plain post
        expect(page.locator("[data-offline-status]")).to_be_visible()
        expect(waiting(page)).to_have_text("0")
        page.route("**/api/v1/needs", hold)  # the first need waits on the link
        capture(page, "Borehole pump is broken")
        for _ in range(100):
            if held:
                break
            page.wait_for_timeout(50)
        assert len(held) == 1
        box = page.locator("form[data-offline-queue] textarea[name=text]")
        box.fill("Bridge to the market fell")
        held[0].continue_()
        page.unroute("**/api/v1/needs", hold)
        expect(page.locator("[data-offline-status]")).to_contain_text("Saved")
        expect(box).to_have_value("Bridge to the market fell")
        assert page.url.endswith("/capture")  # no receipt page over what was typed
        page.click("form[data-offline-queue] button[type=submit]")
        page.wait_for_url("**/capture/receipt/**")  # the second one, as usual
        assert stored_texts(node_home) == ["Borehole pump is broken", "Bridge to the market fell"]
    finally:
        context.close()
