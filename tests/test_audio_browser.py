"""Audio notes in a real Chromium against a real `sauti serve`: recording with
the fake microphone (MediaRecorder), a recording queued offline in IndexedDB
with its need and sent once, the no-JavaScript upload, and playback."""

import pytest
from playwright.sync_api import expect

from app.node import home
from schema.need import AUDIO_ONLY_TEXT
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, LiveServer, add_user

from .audio_helpers import wav

pytestmark = pytest.mark.browser

DRAIN_TIMEOUT = 30_000  # ms: the queue's retry back-off starts at 2 s
FAKE_MIC = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="module")
def mic_browser(browser):
    """Chromium with a fake microphone (a beeping tone) that needs no permission prompt."""
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *FAKE_MIC]
    )
    yield instance
    instance.close()


def notes(node_home) -> list[dict]:
    db = home.open_home(node_home).connect()
    try:
        return list(
            db.query(
                "SELECT n.text, n.ref, a.content_type, a.size FROM needs n"
                " LEFT JOIN audio_notes a ON a.uuid = n.uuid ORDER BY n.id"
            )
        )
    finally:
        db.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def record(page) -> None:
    """Record with the fake microphone until at least one second is in."""
    button = page.locator("[data-recorder] [data-record]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-record-status]")).to_contain_text("1 s", timeout=10_000)
    button.click()
    expect(page.locator("[data-recorder] [data-discard]")).to_be_visible(timeout=10_000)
    files = page.eval_on_selector("input[name=audio]", "el => el.files.length")
    assert files == 1  # the recording sits in the form's own file input


def playable(page) -> bool:
    """Whether the need page's <audio> loads the stored recording's metadata."""
    return page.evaluate(
        """() => new Promise(resolve => {
            const a = document.querySelector('figure.audio-note audio');
            if (!a) return resolve(false);
            a.addEventListener('loadedmetadata', () => resolve(true), {once: true});
            a.addEventListener('error', () => resolve(false), {once: true});
            a.preload = 'auto';
            a.load();
        })"""
    )


def test_record_in_the_browser_and_play_it_back(mic_browser, node_home):
    add_user(node_home, "amina", "facilitator")
    add_user(node_home, "chair", "council")
    server = LiveServer(node_home).start()
    context = mic_browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, server.url, "amina")
        page.goto(server.url + "/capture")
        record(page)
        page.click("form[data-offline-queue] button[type=submit]")  # no text: audio alone
        page.wait_for_url(lambda url: "/capture/receipt/" in url)
        [need] = notes(node_home)
        assert need["text"] == AUDIO_ONLY_TEXT
        assert need["content_type"] == "audio/webm" and need["size"] > 1000
        page.goto(f"{server.url}/needs/{need['ref']}")
        expect(page.locator(".audio-only")).to_contain_text("audio note")
        assert playable(page)
        # The council hears it too; another facilitator sees only that it is an audio note.
        council = mic_browser.new_context(locale="en-US").new_page()
        sign_in(council, server.url, "chair")
        council.goto(f"{server.url}/needs/{need['ref']}")
        assert playable(council)
        council.context.close()
    finally:
        context.close()
        server.stop()


def test_a_recording_queued_offline_reaches_the_node_once(mic_browser, node_home):
    add_user(node_home, "amina", "facilitator")
    server = LiveServer(node_home).start()
    context = mic_browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, server.url, "amina")
        page.goto(server.url + "/capture")
        page.evaluate("navigator.serviceWorker.ready")
        expect(page.locator("[data-offline-count]")).to_have_text("0")
        page.reload()  # now the service worker controls the page and keeps it
        server.stop()
        page.reload()
        expect(page.locator("form[data-offline-queue]")).to_be_visible()
        record(page)
        page.fill("textarea[name=text]", "Daraja limevunjika")
        page.click("form[data-offline-queue] button[type=submit]")
        expect(page.locator("[data-offline-count]")).to_have_text("1")
        expect(page.locator("[data-recorder] [data-discard]")).to_be_hidden()  # form reset
        record(page)  # a second need, captured by audio alone
        page.click("form[data-offline-queue] button[type=submit]")
        expect(page.locator("[data-offline-count]")).to_have_text("2")
        page.reload()  # the queue, recordings included, outlives the page
        expect(page.locator("[data-offline-count]")).to_have_text("2")
        assert notes(node_home) == []

        server = LiveServer(node_home, port=server.port).start()
        expect(page.locator("[data-offline-count]")).to_have_text("0", timeout=DRAIN_TIMEOUT)
        stored = notes(node_home)
        assert [n["text"] for n in stored] == ["Daraja limevunjika", AUDIO_ONLY_TEXT]
        assert all(n["content_type"] == "audio/webm" and n["size"] > 1000 for n in stored)
        assert len(list((node_home / "audio").iterdir())) == 2  # each stored once
    finally:
        context.close()
        server.stop()


def test_the_no_javascript_upload(browser, node_home, tmp_path):
    add_user(node_home, "amina", "facilitator")
    recording = tmp_path / "recording.wav"
    recording.write_bytes(wav())
    server = LiveServer(node_home).start()
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, server.url, "amina")
        page.goto(server.url + "/capture")
        expect(page.locator("[data-recorder]")).to_be_hidden()
        page.set_input_files("input[name=audio]", str(recording))
        page.locator("details.more > summary").first.click()
        page.locator("details.other-choice > summary").nth(1).click()  # a place not in the list
        page.fill("#locality_other", "TZ/not-here")  # refused: the recording is kept meanwhile
        page.click("form[data-offline-queue] button[type=submit]")
        expect(page.locator("[data-audio-kept]")).to_be_visible()
        page.fill("#locality_other", "")
        page.click("form[data-offline-queue] button[type=submit]")
        page.wait_for_url(lambda url: "/capture/receipt/" in url)
        [need] = notes(node_home)
        assert need["text"] == AUDIO_ONLY_TEXT and need["content_type"] == "audio/wav"
    finally:
        context.close()
        server.stop()


def test_a_picked_file_that_is_no_recording_is_named_at_once(browser, node_home, tmp_path):
    add_user(node_home, "amina", "facilitator")
    bad = tmp_path / "notes.m4a"
    bad.write_bytes(b"%PDF-1.4 not a recording at all")
    server = LiveServer(node_home).start()
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, server.url, "amina")
        page.goto(server.url + "/capture")
        page.set_input_files("input[name=audio]", str(bad))
        expect(page.locator("[data-audio-field] p.error")).to_contain_text("not a recording")
        assert page.eval_on_selector("input[name=audio]", "el => el.files.length") == 0
    finally:
        context.close()
        server.stop()
