"""Every page in every language: no internal code and no English interface text
reaches a page that is not in English.

A demo node (needs in six languages, meetings, priorities, actions, a board) is
rendered page by page in each interface language, signed in as each role. The
visible text (text nodes, and the alt, title, aria-label and placeholder
attributes) is checked, leaving out what people wrote: elements marked with a
`lang` of their own (need texts), form values, <code> and the node's own names.

- No text piece (split at "·", ":" and ",") is an internal code in snake_case
  (in_progress, plus_one, add_need ...) or a history code (create, add_need ...).
- On a page not in English, no text node is exactly an English interface message
  that its catalog translates otherwise ("open", "[name]", "Total" ...).
"""

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from app.demo import LOCALITY as DEMO_LOCALITY
from app.demo import build, credentials
from app.factory import create_app
from app.node import home
from app.store import meetings as meeting_store
from app.store import needs as needs_store
from schema.need import NeedInSchema, submission_hash
from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[1]
LANGS = sorted(i18n.LOCALES)
SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")
# Codes of history rows (the snake_case ones are caught anyway); not those whose
# English label is the same word ("merged", "removed").
HISTORY_CODES = {"create", "edit", "status", "merge", "unmerge", "update", "retention", "need",
                 "title", "vote", "rank"}  # fmt: skip
SKIP_TAGS = {"script", "style", "code", "textarea", "option", "title"}
ATTRS = ("alt", "title", "aria-label", "placeholder")
RAW_PLACEHOLDERS = ("[name]", "[phone]", "[email]", "[id]", "[url]", "[contact]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class VisibleText(HTMLParser):
    """Text a person reads on the page, without what people wrote (see above)."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[bool] = []  # per open element: is its content skipped?
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = bool(self.stack and self.stack[-1]) or tag in SKIP_TAGS
        own_lang = attrs.get("lang")
        if own_lang and own_lang != self.page_lang:
            skipped = True
        elif own_lang == self.page_lang and tag == "mark":
            skipped = False  # a placeholder inside a text people wrote
        if not skipped:
            self.pieces += [attrs[a].strip() for a in ATTRS if attrs.get(a)]
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.pieces.append(" ".join(data.split()))


def catalog_english(lang: str) -> set[str]:
    """English messages that LANG's catalog translates to something else."""
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    out = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if "%" in english or english in strings or not any(strings):
                continue
            out.add(english)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("i18n") / "demo"
    build(path, progress=lambda *a: None)
    db = home.open_home(path).connect()
    try:  # a checked text with a name and a phone number: placeholders on every page
        need = NeedInSchema(node_locality=DEMO_LOCALITY).load({
            "uuid": str(uuid.uuid4()), "text": "Amina (0712 345 678) asks for a water point",
            "language": "en", "respondent": {"name": "Amina"}, "consent": True,
        })  # fmt: skip
        stored, _new = needs_store.insert(db, need, submission_hash=submission_hash(need))
        needs_store.mark_text_checked(db, stored["id"])
    finally:
        db.close()
    app = create_app({"HOME": path, "TESTING": True})
    clients = {}
    for username, role, password in credentials(path):
        client = app.test_client()
        token = csrf_token(client)
        client.post("/login", data={"username": username, "password": password,
                                    "csrf_token": token})  # fmt: skip
        clients[role] = client
    return path, app, clients


def page_paths(demo) -> list[tuple[str, str]]:
    """(role, path) of every page: each GET route without arguments, and one of
    each page that takes a need, meeting, priority or action."""
    path, app, clients = demo
    db = home.open_home(path).connect()
    try:
        ref = db.execute("SELECT ref FROM needs WHERE text LIKE 'Amina (%'").fetchone()[0]
        history_ref = db.execute(
            "SELECT n.ref FROM needs n JOIN need_history h ON h.need_id = n.id"
            " ORDER BY h.id DESC LIMIT 1"
        ).fetchone()[0]
        meetings = [m["id"] for m in meeting_store.recent(db, limit=5)]
        priority = db.execute("SELECT id FROM priorities LIMIT 1").fetchone()[0]
        action = db.execute("SELECT id FROM actions LIMIT 1").fetchone()[0]
    finally:
        db.close()
    skip = ("/api/", "/open311/", "/static/", "/healthz", "/logout", "/sw.js", ".csv", ".json",
            "/download", "/export", "/lang/", "/offline", "/ca")  # fmt: skip
    paths = set()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(skip):
            if not any(s in rule.rule for s in skip):
                paths.add(rule.rule)
    paths |= {
        f"/needs/{ref}", f"/needs/{history_ref}", f"/needs/{ref}/edit", f"/capture/receipt/{ref}",
        f"/status?ref={ref}", f"/council/needs/{ref}", f"/council/needs/{history_ref}",
        f"/council/priorities/{priority}", f"/council/actions/{action}", "/needs?q=maji",
    } | {f"/meetings/{m}" for m in meetings}  # fmt: skip
    out = []
    for p in sorted(paths):
        role = "admin" if p.startswith("/admin") else "council"
        out.append((role, p))
    return out


def visible(html: str, lang_tag: str) -> list[str]:
    parser = VisibleText(lang_tag)
    parser.feed(html)
    return parser.pieces


def test_no_code_and_no_english_on_any_page(demo):
    path, app, clients = demo
    names = {"Westlands (demo)", "Sauti"}
    problems = []
    pages = page_paths(demo)
    rendered = placeholders = 0
    for lang in LANGS:
        english = catalog_english(lang) if lang != "en" else set()
        tag = i18n.LOCALES[lang].tag
        for role, page in pages:
            client = clients[role]
            client.set_cookie(i18n.COOKIE, lang)
            answer = client.get(page)
            if answer.status_code != 200 or answer.mimetype != "text/html":
                continue
            rendered += 1
            html = answer.get_data(as_text=True)
            placeholders += html.count(f'<mark lang="{tag}">')
            if lang != "en":  # a scrubber placeholder is always shown in the page's language
                outside_forms = re.sub(r"(?s)<textarea.*?</textarea>", "", html)
                raw = [p for p in RAW_PLACEHOLDERS if p in outside_forms]
                if raw:
                    problems.append(f"{lang} {page}: placeholders {raw} in English")
            for piece in visible(html, tag):
                if piece in names:
                    continue
                parts = [p.strip() for p in re.split(r"[·:,;()]", piece) if p.strip()]
                codes = [p for p in parts if SNAKE.match(p) or p in HISTORY_CODES]
                if codes:
                    problems.append(f"{lang} {page}: code {codes} in {piece[:60]!r}")
                if piece in english:
                    problems.append(f"{lang} {page}: English {piece!r}")
    assert rendered > 30 * len(LANGS)
    assert placeholders >= 2 * len(LANGS)  # the placeholders were on the pages
    assert not problems, "\n".join(sorted(set(problems))[:60])
