"""Read aloud: the capture form's labels and the receipt are read in the
interface language by the browser's own speech synthesis, only where the tablet
has a voice for that language. The browser's voices are replaced by a recording
stand-in (headless Chromium has none), so the test hears what would be said."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, LiveServer, add_user

pytestmark = pytest.mark.browser

FAKE_VOICES = """
(() => {
  const voices = %s;
  const spoken = [];
  window.__spoken = spoken;
  class Utterance { constructor(text) { this.text = text; } }
  Object.defineProperty(window, 'SpeechSynthesisUtterance', {value: Utterance, configurable: true});
  Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
    getVoices: () => voices,
    speak: (u) => spoken.push({text: u.text, lang: u.lang}),
    cancel: () => {},
    addEventListener: () => {},
  }});
})();
"""


def signed_in_page(browser, server, voices: str):
    context = browser.new_context(locale="en-US")
    context.add_init_script(FAKE_VOICES % voices)
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", "amina")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


@pytest.fixture
def server(node_home):
    add_user(node_home, "amina", "facilitator")
    server = LiveServer(node_home).start()
    yield server
    server.stop()


def test_labels_and_the_receipt_are_read_in_the_interface_language(browser, server):
    context, page = signed_in_page(browser, server, '[{"lang": "en-GB", "name": "English"}]')
    try:
        page.goto(server.url + "/capture")
        consent = page.locator("label.consent")
        page.locator("details.more > summary").nth(1).click()
        consent.locator("[data-read-aloud]").click()
        assert not page.is_checked("input[name=consent]")  # reading never ticks the box
        spoken = page.evaluate("window.__spoken")
        assert spoken == [{
            "text": "The person agrees that their name and contact are written down.",
            "lang": "en-GB",
        }]
        page.fill("textarea[name=text]", "Kisima kimeharibika")
        page.click("form[data-offline-queue] button[type=submit]")
        page.wait_for_url(lambda url: "/capture/receipt/" in url)
        ref = page.locator(".slip .ref").inner_text().replace("\U0001F50A", "").strip()
        page.locator(".slip .ref [data-read-aloud]").click()
        assert page.evaluate("window.__spoken")[-1]["text"] == ", ".join(ref.strip())
    finally:
        context.close()


def test_nothing_is_added_without_a_voice_for_the_language(browser, server):
    context, page = signed_in_page(browser, server, '[{"lang": "fr-FR", "name": "Français"}]')
    try:
        page.goto(server.url + "/capture")
        expect(page.locator("form.capture label").first).to_be_visible()
        assert page.locator("[data-read-aloud]").count() == 0
    finally:
        context.close()
