"""Finding needs: list filters, pagination and full-text search in any script."""

import re
import uuid

import pytest

from app.factory import create_app
from app.node import home
from app.store import needs as store
from schema.need import NeedInSchema, submission_hash
from tests.conftest import LOCALITY, add_token, add_user, login, make_home
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

TEXTS = {
    "sw": "Tunahitaji maji safi kijijini",
    "fr": "L'école du quartier n'a pas de toit",
    "ar": "نحتاج إلى مياه نظيفة في الحي",
    "hi": "गाँव में पानी की कमी है",
    "am": "የውሃ ችግር አለብን በመንደራችን",
    "th": "หมู่บ้านของเราขาดน้ำสะอาด",
    "zh-Hans": "外来务工人员的孩子很难在本地学校入学",
}


def add_needs(node_home, rows: list[dict]) -> list[str]:
    """Store needs through the real schema and data layer; their refs."""
    db = home.open_home(node_home).connect()
    schema = NeedInSchema(node_locality=LOCALITY)
    refs = []
    try:
        for row in rows:
            need = schema.load({"uuid": str(uuid.uuid4()), **row})
            stored, _created = store.insert(db, need, submission_hash=submission_hash(need))
            refs.append(stored["ref"])
    finally:
        db.close()
    return refs


@pytest.fixture
def multilingual(node_home):
    refs = add_needs(node_home, [{"text": t, "language": lang} for lang, t in TEXTS.items()])
    return dict(zip(TEXTS, refs, strict=True))


@pytest.fixture(scope="module")
def searchable(tmp_path_factory, engine):
    """One node holding the multilingual needs, shared by the read-only searches below:
    an analyst and a facilitator signed in on the pages, and an analyst's API token."""
    path = make_home(tmp_path_factory.mktemp("search") / "home")
    refs = add_needs(path, [{"text": t, "language": lang} for lang, t in TEXTS.items()])
    app = create_app({"HOME": path, "TESTING": True})
    pages = {}
    for role in ("analyst", "facilitator"):
        add_user(path, f"{role}-user", role)
        pages[role] = app.test_client()
        assert login(pages[role], f"{role}-user").status_code == 302
    add_user(path, "analyst-api", "analyst")
    headers = {"Authorization": f"Bearer {add_token(path, 'analyst-api')}"}
    return {"refs": dict(zip(TEXTS, refs, strict=True)), "pages": pages,
            "api": (app.test_client(), headers)}


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("maji", "sw"),  # Latin, a word
        ("MAJI", "sw"),  # any case
        ("kijiji", "sw"),  # part of a word (trigram)
        ("école", "fr"),
        ("ecole", "fr"),  # without the accent
        ("مياه", "ar"),  # Arabic
        ("पानी", "hi"),  # Devanagari
        ("ችግር", "am"),  # Ethiopic word
        ("ውሃ", "am"),  # two Ethiopic letters glued to a prefix (የውሃ)
        ("น้ำ", "th"),  # Thai, no spaces between words
        ("ขาดน้ำ", "th"),
        ("学校", "zh-Hans"),  # two-character Chinese word inside a sentence
        ("本地学校", "zh-Hans"),
        ("学", "zh-Hans"),  # one character
        ("maji safi", "sw"),  # every term must match
    ],
)
def test_search_finds_needs_in_any_script(searchable, query, language):
    client = searchable["pages"]["analyst"]
    html = client.get("/needs", query_string={"q": query}).get_data(as_text=True)
    found = set(re.findall(r'href="/needs/([A-Z0-9-]+)"', html))
    assert found == {searchable["refs"][language]}


def test_search_through_the_api(api, multilingual):
    client, headers = api("analyst")
    for query, language in [("学校", "zh-Hans"), ("पानी", "hi"), ("ውሃ", "am"), ("ecole", "fr")]:
        response = client.get("/api/v1/needs", query_string={"q": query}, headers=headers)
        assert response.status_code == 200
        body = response.get_json()
        assert body["total"] == 1
        assert body["items"][0]["ref"] == multilingual[language]
    nothing = client.get("/api/v1/needs", query_string={"q": "maji shule"}, headers=headers)
    assert nothing.get_json()["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        'maji"',
        "*",
        "maji*",
        "AND",
        "maji OR",
        "NOT maji",
        "NEAR(maji safi)",
        "text:maji",
        "^maji",
        "(",
        ")",
        "-maji",
        "+",
        "'",
        "\\",
        "{text}",
        "%",
        "_",
        "\x00",
        "\u200b",
        "学" * 500,
    ],
)
def test_fts_syntax_in_q_is_text_not_syntax(searchable, query):
    page = searchable["pages"]["facilitator"].get("/needs", query_string={"q": query})
    assert page.status_code == 200
    client, headers = searchable["api"]
    answer = client.get("/api/v1/needs", query_string={"q": query}, headers=headers)
    assert answer.status_code == 200


def test_operators_are_searched_as_words(api, multilingual):
    client, headers = api("analyst")
    total = lambda q: client.get(
        "/api/v1/needs", query_string={"q": q}, headers=headers
    ).get_json()["total"]
    assert total("maji") == 1
    assert total("maji OR toit") == 0  # not an FTS "OR"
    assert total("maj*") == 0  # not a prefix query
    assert total("NEAR(maji safi)") == 0


def test_search_index_follows_edits(node_home, signed_in, multilingual):
    client = signed_in("facilitator")
    ref = multilingual["sw"]
    page = client.get(f"/needs/{ref}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/needs/{ref}/edit",
        data={
            "csrf_token": token,
            "text": "Barabara mbovu",
            "category": "roads",
            "supporters": "1",
        },
    )
    assert response.status_code == 303
    found = lambda q: ref in client.get("/needs", query_string={"q": q}).get_data(as_text=True)
    assert found("barabara") and not found("maji")


def test_list_filters_and_pagination(node_home, signed_in):
    rows = []
    for i in range(120):
        rows.append(
            {
                "text": f"Need number {i}",
                "language": "sw" if i % 2 else "en",
                "category": "water" if i % 3 == 0 else "health",
                "channel": "paper" if i % 4 == 0 else "facilitator",
                "locality": f"{LOCALITY}/gichagi" if i % 5 == 0 else LOCALITY,
                "gender": "female",
            }
        )
    refs = add_needs(node_home, rows)
    client = signed_in("analyst")

    def listed(**args) -> list[str]:
        html = client.get("/needs", query_string=args).get_data(as_text=True)
        return re.findall(r'href="/needs/([A-Z0-9-]+)"', html)

    first = listed()
    assert len(first) == 50 and first == refs[::-1][:50]  # newest first
    assert listed(page=2) == refs[::-1][50:100]
    assert listed(page=3) == refs[::-1][100:]
    assert "Page 1 of 3" in client.get("/needs").get_data(as_text=True)

    expected = lambda pred: [r for r, row in zip(refs, rows, strict=True) if pred(row)][::-1]
    assert listed(category="water") == expected(lambda r: r["category"] == "water")
    assert listed(channel="paper", language="sw") == expected(
        lambda r: r["channel"] == "paper" and r["language"] == "sw"
    )
    assert listed(goal="6") == expected(lambda r: r["category"] == "water")
    assert listed(locality=f"{LOCALITY}/gichagi") == expected(lambda r: "gichagi" in r["locality"])
    assert (
        listed(status="new", q="number", category="health", page=2)
        == expected(lambda r: r["category"] == "health")[50:]
    )
    assert listed(status="merged") == []
    # Filters that make no sense are left out and said so, never a 500.
    response = client.get("/needs", query_string={"goal": "99", "status": "x", "page": "²"})
    assert response.status_code == 200
    assert "were not understood" in response.get_data(as_text=True)


def test_upgrade_indexes_needs_stored_before_search_existed(tmp_path):
    from app.store import categories, search
    from app.store.db import connect
    from app.store.migrations import capture, core

    db = connect(tmp_path / "old.db")
    core.migrations.apply(db)
    capture.migrations.apply(db, stop_before="m002_categories_and_search")
    need = NeedInSchema(node_locality=LOCALITY).load(
        {"uuid": str(uuid.uuid4()), "text": TEXTS["zh-Hans"], "language": "zh-Hans"}
    )
    stored, _ = store.insert(db, need, submission_hash=submission_hash(need))
    capture.migrations.apply(db)
    assert search.matching_ids(db, "本地学校") == [stored["id"]]
    assert search.matching_ids(db, "学校") == [stored["id"]]
    assert [r["code"] for r in categories.rows(db)][:2] == ["water", "health"]
