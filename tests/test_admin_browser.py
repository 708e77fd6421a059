"""The admin pages in headless Chromium at 360 px: the flows in Kiswahili and
Arabic, axe-core (0 critical, 0 serious) on every admin page in English,
Kiswahili and Arabic, and no page that scrolls sideways."""

import re

import pytest

from tests.axe import sideways_overflow, violations
from tests.conftest import PASSWORD, add_token, add_user, make_home
from tests.sync_helpers import public_key

pytestmark = pytest.mark.browser

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/tokens", "/admin/settings",
               "/admin/categories", "/admin/localities", "/admin/sync", "/admin/audit",
               "/account/password"]  # fmt: skip


def submit(page, selector):
    """Click a form's button and wait for the answer page (no race with the next check)."""
    with page.expect_navigation():
        page.click(selector)


def _sign_in(page, url, username="boss", password=PASSWORD, lang="en"):
    page.goto(f"{url}/lang/{lang}?next=/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page, "form button[type=submit]")


@pytest.fixture
def admin_node(node_home, tmp_path):
    add_user(node_home, "boss", "admin")
    add_user(node_home, "amina", "council")
    add_token(node_home, "amina")
    return node_home


@pytest.mark.parametrize("lang", ["en", "sw", "ar"])
def test_every_admin_page_is_accessible_and_fits_360_px(admin_node, live_server, page, lang):
    _sign_in(page, live_server.url, lang=lang)
    for path in ADMIN_PAGES:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == {"en": "en", "sw": "sw", "ar": "ar"}[lang]
        for details in page.locator("main details").all():
            details.evaluate("d => d.open = true")  # check the folded forms too
        assert violations(page) == [], (lang, path)
        assert sideways_overflow(page) <= 0, (lang, path)


@pytest.mark.parametrize("lang", ["sw", "ar"])
def test_node_facts_are_not_printed_one_letter_per_line(admin_node, live_server, page, lang):
    _sign_in(page, live_server.url, lang=lang)
    page.goto(live_server.url + "/admin/")
    for width in (360, 800):
        page.set_viewport_size({"width": width, "height": 740})
        widths = page.eval_on_selector_all(
            "dl.facts dd", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert widths and min(widths) > 200, (width, widths)
        assert sideways_overflow(page) <= 0


@pytest.mark.parametrize("lang", ["sw", "ar"])
def test_an_admin_does_everything_in_the_browser(admin_node, live_server, page, lang, tmp_path):
    url = live_server.url
    _sign_in(page, url, lang=lang)
    # a user with a made-up password, shown once
    page.goto(url + "/admin/users")
    page.fill("#username", "juma")
    page.select_option("#role", "facilitator")
    submit(page, "form[action$='/admin/users'] button[type=submit]")
    made_up = page.locator("code.secret").inner_text()
    assert len(made_up) >= 12
    # a mistake keeps what was typed and says what is wrong beside the field
    page.fill("#username", "x y")
    page.fill("#password", "short")
    submit(page, "form[action$='/admin/users'] button[type=submit]")
    assert page.input_value("#username") == "x y"
    assert page.locator("#username-error").is_visible()
    # disable juma
    submit(page, "form[action$='/admin/users/juma/disable'] button")
    assert page.locator("p.notice").is_visible()
    # a token, shown once, then revoked
    page.goto(url + "/admin/tokens")
    page.select_option("#token-user", "amina")
    submit(page, "form[action$='/admin/tokens'] button[type=submit]")
    token = page.locator("code.secret").inner_text()
    page.goto(url + "/admin/tokens")
    assert token not in page.content()
    submit(page, f"form:has(input[value='{token[:12]}']) button")
    assert page.locator("p.notice").is_visible()
    # a setting: refused with its reason, then saved
    page.goto(url + "/admin/settings")
    page.fill("#value-k", "1")
    submit(page, "#setting-k button")
    assert page.locator("#error-k").is_visible() and page.input_value("#value-k") == "1"
    page.fill("#value-k", "8")
    submit(page, "#setting-k button")
    assert page.locator("p.notice").is_visible()
    # a category, named in this language, with a pictogram; then retired
    page.goto(url + "/admin/categories")
    page.fill("#new-name", "Usafi" if lang == "sw" else "النظافة")
    page.fill("#new-code", "sanitation")
    page.click("label[for=new-icon-2]")
    page.check("input[name=goals][value='6']")
    submit(page, "form[action$='/admin/categories'] button.primary")
    assert page.locator("#cat-sanitation").is_visible()
    submit(page, "#cat-sanitation form[action$='/active'] button")
    assert page.locator("#cat-sanitation strong").is_visible()  # retired
    # a locality name
    page.goto(url + "/admin/localities")
    page.fill("#loc-name", "Kangemi")
    submit(page, "form[action$='/admin/localities'] button")
    assert page.locator("ul.names").first.is_visible()
    # enrol a child after comparing the fingerprint
    from app.node import home

    child = make_home(tmp_path / f"child-{lang}", locality="KE/47/westlands/kangemi/x")
    page.goto(url + "/admin/sync")
    page.fill("#child-name", "Kangemi B")
    page.fill("#child-key", public_key(child))
    submit(page, "form[action$='/admin/sync/children'] button")
    fingerprint = home.fingerprint(public_key(child))
    assert page.locator("code.fingerprint.big").inner_text() == fingerprint
    submit(page, "section.confirm button.primary")
    assert page.locator("p.notice").is_visible()
    assert page.locator(f"table code.fingerprint:has-text('{fingerprint}')").is_visible()
    # set the parent the same way
    parent = make_home(tmp_path / f"parent-{lang}", locality="KE/47")
    page.fill("#parent-url", "http://10.0.0.2:5000")
    page.fill("#parent-key", public_key(parent))
    submit(page, "form[action$='/admin/sync/parent'] button")
    assert page.locator("code.fingerprint.big").inner_text() == home.fingerprint(public_key(parent))
    submit(page, "section.confirm button.primary")
    assert page.locator("p.notice").is_visible()
    assert home.fingerprint(public_key(parent)) in page.locator("dl.facts").first.inner_text()
    # the audit list shows all of it, and never the token or password
    page.goto(url + "/admin/audit")
    listed = page.locator("ol.audit > li").count()
    assert listed >= 8
    assert token not in page.content() and made_up not in page.content()
    # own password
    page.goto(url + "/account/password")
    page.fill("#pw-current", PASSWORD)
    page.fill("#pw-new", "a brand new secret")
    page.fill("#pw-again", "a brand new secret")
    submit(page, "main form button[type=submit]")
    assert page.locator("p.notice").is_visible()
    # signing out ends the session: the old cookie is refused afterwards
    cookies = page.context.cookies()
    submit(page, "footer form button")
    context = page.context.browser.new_context()
    try:
        context.add_cookies([c for c in cookies if c["name"] == "sauti_session"])
        other = context.new_page()
        other.goto(url + "/admin/")
        assert re.search(r"/login", other.url)
    finally:
        context.close()
