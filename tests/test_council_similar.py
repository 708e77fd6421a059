"""Similar needs: multilingual near-duplicates cluster, different needs do not."""

from app.council import similar
from app.store import triage

from .council_helpers import capture, csrf, need_id
from .test_council_triage import setup  # noqa: F401  (fixture)

NEAR_DUPLICATES = [
    # (category, texts that say the same thing)
    ("water", ["Hakuna maji kwenye kisima!", "hakuna maji kisimani", "Hakuna maji kwenye kisima."]),
    ("water", ["No water at the borehole", "The borehole has no water."]),
    ("water", ["村里的水井坏了", "村里水井坏了，没有水"]),
    ("water", ["لا يوجد ماء في البئر", "لايوجد ماء فى البئر"]),
    ("water", ["बोरवेल में पानी नहीं है", "बोरवेल मे पानी नही है"]),
    ("water", ["ไม่มีน้ำในบ่อ", "บ่อไม่มีน้ำ"]),
    ("roads", ["Pas d'eau au forage", "PAS D’EAU AU FORAGE !!"]),
]
DIFFERENT = [
    ("water", "The road to the school is broken"),
    ("water", "学校没有老师"),
    ("water", "المدرسة بعيدة جدا"),
    ("roads", "Hakuna maji kwenye kisima"),  # same words, other category
]


def _needs():
    needs, expected, i = [], [], 0
    for category, texts in NEAR_DUPLICATES:
        ids = []
        for text in texts:
            i += 1
            needs.append({"id": i, "text": text, "category": category})
            ids.append(i)
        expected.append(ids)
    for category, text in DIFFERENT:
        i += 1
        needs.append({"id": i, "text": text, "category": category})
    return needs, expected


def test_normalize_folds_case_width_and_punctuation():
    assert similar.normalize("  PAS D’EAU,  au ＦＯＲＡＧＥ!! ") == "pas d eau au forage"


def test_multilingual_near_duplicates_form_clusters_and_nothing_else():
    needs, expected = _needs()
    found = sorted(sorted(n["id"] for n in c) for c in similar.clusters(needs))
    assert found == sorted(expected)


def test_similar_to_puts_the_same_category_first():
    needs, _ = _needs()
    swahili = needs[0]
    ranked = similar.similar_to(swahili, needs)
    categories = [n["category"] for n, _score in ranked]
    assert categories[:2] == ["water", "water"] and "roads" in categories
    assert categories.index("roads") > max(i for i, c in enumerate(categories) if c == "water")


def test_the_work_is_capped_for_large_numbers(monkeypatch):
    words = [
        "maji",
        "kisima",
        "shule",
        "barabara",
        "hospitali",
        "dawa",
        "chakula",
        "umeme",
        "nyumba",
        "kazi",
        "watoto",
    ]
    needs = [
        {
            "id": i,
            "text": " ".join(words[(i * 7 + j) % len(words)] for j in range(i % 6 + 4)),
            "category": "water",
        }
        for i in range(3000)
    ]
    compared = []  # (query, number of texts it is scored against) per scoring pass
    extract = similar.process.extract

    def counting(query, choices, **kwargs):
        compared.append((query, len(choices)))
        return extract(query, choices, **kwargs)

    monkeypatch.setattr(similar.process, "extract", counting)
    clusters = similar.clusters(needs, limit=300)
    assert all(n["id"] >= 2700 for c in clusters for n in c)  # only the 300 most recent
    # the work: each of the 300 most recent texts against those 300 only, one pass per
    # scorer (no Chinese or Thai here, so two), never the 3000
    recent = {similar.normalize(n["text"]) for n in needs if n["id"] >= 2700}
    assert len(compared) == 2 * 300
    assert all(size == 300 for _query, size in compared)
    assert {query for query, _size in compared} == recent
    assert sum(size for _query, size in compared) == 2 * 300 * 300


def test_fifty_alike_needs_merge_into_one_with_every_supporter(setup):  # noqa: F811
    db, client = setup["db"], setup["client"]
    refs = []
    for i in range(50):
        text = [
            "no water at the borehole",
            "No water at the borehole!",
            "the borehole has no water",
        ][i % 3]
        refs.append(capture(*setup["api"], text, category="water", supporters=1 + i % 2)["ref"])
    other = capture(*setup["api"], "The clinic has no medicine", category="health")
    page = client.get("/council/similar").get_data(as_text=True)
    assert page.count('name="need"') == 50 and other["ref"] not in page
    ids = [need_id(db, r) for r in refs]
    target = ids[0]
    response = client.post(
        "/council/similar/merge",
        data={"csrf_token": csrf(client), "into": target, "need": ids},
    )
    assert response.status_code == 302
    total = sum(1 + i % 2 for i in range(50))
    assert db.execute("SELECT supporters FROM needs WHERE id = ?", [target]).fetchone()[0] == total
    merged = db.execute("SELECT count(*) FROM needs WHERE status = 'merged'").fetchone()[0]
    assert merged == 49
    for nid in ids[1:]:
        triage.unmerge(db, nid, user=setup["user"])
    assert db.execute("SELECT supporters FROM needs WHERE id = ?", [target]).fetchone()[0] == 1
