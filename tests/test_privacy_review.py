"""The review screen (a need's "Checked for sharing" section) shows the text exactly
as it would leave, placeholders marked, and underlines every word the scrubber left
that may still be a name: server-side, without JavaScript, readable at 360 px."""

import re

import pytest

from app.privacy.review import pieces, suspect_spans
from tests.test_capture_form import capture, ref_from
from tests.test_council_triage import setup  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    "text, suspects",
    [
        ("Ask Peter Banda about the borehole", ["Ask", "Peter", "Banda"]),
        ("mama wanjiku knows, and mzee otieno", ["wanjiku", "otieno"]),
        ("قال السيد خالد إن البئر جافة", ["خالد"]),
        ("አቶ ከበደ ውሃ ጠየቁ", ["ከበደ"]),
        ("ኣቶ ተስፋይ ማይ የለን", ["ተስፋይ"]),
        ("请问王先生在吗", ["问王"]),
        ("김씨에게 말해요", ["김"]),
        ("Дмитро просить новий міст", ["Дмитро"]),
        ("[name] wants water, call [phone]", []),
        ("no capital letters here at all", []),
    ],
)
def test_suspect_words(text, suspects):
    assert [text[s:e] for s, e in suspect_spans(text)] == suspects


def test_pieces_cover_the_text_once():
    text = "Ask [name] and Bi Zuhura at [phone] today"
    cut = pieces(text)
    assert "".join(p["text"] for p in cut) == text
    assert [p["text"] for p in cut if p["placeholder"]] == ["[name]", "[phone]"]
    assert [p["text"] for p in cut if p["suspect"]] == ["Ask", "Bi", "Zuhura"]


def test_the_review_screen_underlines_possible_names(signed_in):
    client = signed_in("facilitator")
    ref = ref_from(capture(client, text="Amina anasema mwalimu Joseph Kamau ana ufunguo",
                           respondent_name="Amina Wanjiku", consent="true"))  # fmt: skip
    page = client.get(f"/needs/{ref}").get_data(as_text=True)
    section = page.split('id="sharing"')[1].split("</section>")[0]
    assert "<mark lang=\"en\">[name]</mark>" in section  # the respondent: replaced
    marked = re.findall(r'<mark class="suspect"[^>]*>([^<]*)</mark>', section)
    assert marked == ["Joseph", "Kamau"]  # another person: left, but underlined
    assert "2 underlined words may still be names" in section


@pytest.mark.slow
def test_the_review_screen_at_360px_in_arabic(node_home, page):
    from tests.conftest import PASSWORD, LiveServer, add_user

    add_user(node_home, "salma", "facilitator")
    server = LiveServer(node_home).start()
    try:
        page.context.add_cookies([{"name": "lang", "value": "ar", "url": server.url}])
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "salma")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(server.url + "/capture")
        page.fill("#text", "قال السيد خالد المنصور إن البئر جافة منذ شهر، اتصلوا بـ 0791334556")
        page.select_option("#language", "ar")
        page.click("label[for=cat-water]")
        page.click("button[type=submit]")
        page.wait_for_url("**/receipt/**")
        ref = page.url.rstrip("/").rsplit("/", 1)[1]
        page.goto(server.url + f"/needs/{ref}")
        marks = page.locator("#sharing mark.suspect").all_inner_texts()
        assert "خالد" in marks
        assert page.get_attribute("html", "dir") == "rtl"
        assert "قد تكون" in page.locator("#sharing .suspect-hint").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        server.stop()


def test_the_priority_page_shows_its_texts_as_they_would_leave(setup):  # noqa: F811
    from app.store import priorities, triage

    from .council_helpers import capture, need_id

    db, client = setup["db"], setup["client"]
    nid = need_id(db, capture(*setup["api"], "Hakuna maji", respondent={"name": "Halima Said"},
                              consent=True)["ref"])  # fmt: skip
    triage.change_status(db, nid, "accepted", user=setup["user"])
    pid = priorities.create(db, title="Kisima cha Halima, uliza mzee Barasa 0722 000 111",
                            description="", goals=[6], locality="KE/47/westlands/kangemi",
                            user=setup["user"], need_ids=[nid])  # fmt: skip
    page = client.get(f"/council/priorities/{pid}").get_data(as_text=True)
    section = page.split('id="sharing"')[1].split("</div>")[0]
    assert "<mark lang=\"en\">[name]</mark>" in section and "<mark lang=\"en\">[phone]</mark>" in section
    assert re.findall(r'<mark class="suspect"[^>]*>([^<]*)</mark>', section) == ["Kisima", "Barasa"]
