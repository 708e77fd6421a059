"""Search finds ordinary spelling variants (Arabic hamza, taa marbuta, alef maqsura,
short vowels, tatweel, the article; Persian and Urdu letter forms) and reference codes."""

import pytest

from app.node import home
from app.store import needs as store
from app.store import search
from app.store.migrations import capture as capture_migrations
from app.store.textfold import fold
from tests.test_capture_search import add_needs

SAME = [
    ("إنارة", "انارة"),
    ("إنارة", "الإنارة"),
    ("إنارة", "إناره"),
    ("إنارة", "إِنَارَة"),
    ("إنارة", "إنـــارة"),
    ("إنارة", "والإنارة"),
    ("مستشفى", "مستشفي"),
    ("أطفال", "اطفال"),
    ("آبار", "ابار"),
    ("مدرسة", "للمدرسة"),
    ("کتاب", "كتاب"),  # Persian keheh / Arabic kaf
    ("یک", "يك"),  # Persian yeh / Arabic yeh
    ("مدرسہ", "مدرسه"),  # Urdu heh goal / Arabic heh
    ("ھے", "هي"),  # Urdu heh doachashmee, barree yeh
    ("٣٤", "34"),
    ("۳۴", "34"),
    ("ＫＡＮ", "KAN"),  # full-width letters
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_spelling_variants_fold_to_one_form(one, other):
    assert fold(one) == fold(other)


@pytest.mark.parametrize(
    "text", ["maji safi", "L'école", "学校", "หมู่บ้าน", "የውሃ", "गाँव", "الد", "ال", ""]
)
def test_other_texts_keep_their_letters(text):
    # NFKC only outside Arabic script; a short word never loses its "article".
    assert fold(text) == text


LIGHTS = ["إنارة الشارع مطفأة منذ شهر", "نطلب الإنارة في السوق", "لا توجد إنارة قرب المدرسة"]


def _search(node_home, q):
    db = home.open_home(node_home).connect()
    try:
        rows, total = store.list_page(db, {"q": q}, 1, 50)
    finally:
        db.close()
    return sorted(r["ref"] for r in rows)


@pytest.fixture
def lights(node_home):
    refs = add_needs(node_home, [{"text": t, "language": "ar"} for t in LIGHTS])
    add_needs(
        node_home,
        [
            {"text": "نحتاج مياه نظيفة", "language": "ar"},
            {"text": "مدرسہ کی چھت ٹوٹی ہے", "language": "ur"},
            {"text": "Tunahitaji taa za barabarani", "language": "sw"},
        ],
    )
    return sorted(refs)


@pytest.mark.parametrize("q", ["انارة", "الإنارة", "إناره", "إنارة", "والانارة", "إِنَارَة"])
def test_every_spelling_finds_the_three_lighting_needs(node_home, lights, q):
    assert _search(node_home, q) == lights


def test_urdu_text_found_with_arabic_letters(node_home, lights):
    # the Urdu need and "المدرسة" of the third lighting need, typed on an Arabic keyboard
    school = _search(node_home, "قرب")  # the lighting need "... قرب المدرسة"
    urdu = _search(node_home, "چھت")
    assert len(school) == len(urdu) == 1
    assert _search(node_home, "مدرسه") == sorted(school + urdu)
    assert _search(node_home, "مدرسة") == sorted(school + urdu)
    assert _search(node_home, "انارة مياه") == []  # every term must match


def test_a_reference_code_in_the_search_box_finds_its_need(node_home, lights):
    ref = lights[1]
    assert _search(node_home, ref) == [ref]
    assert _search(node_home, ref.lower()) == [ref]
    assert _search(node_home, ref.replace("-", "")) == [ref]
    assert search.as_ref("maji") is None
    assert search.as_ref("KAN-0OIL11") is None  # look-alikes are never in a code


def test_the_migration_reindexes_existing_needs(node_home, lights):
    db = home.open_home(node_home).connect()
    try:
        with db.conn:
            db.execute("INSERT INTO needs_words(needs_words) VALUES ('delete-all')")
            db.execute("INSERT INTO needs_tri(needs_tri) VALUES ('delete-all')")
        assert search.matching_ids(db, "انارة") == []
        with db.conn:
            capture_migrations.m005_search_folds_spelling(db)
        assert len(search.matching_ids(db, "انارة")) == 3
    finally:
        db.close()


def test_edits_and_removals_keep_the_index_right(node_home, lights):
    db = home.open_home(node_home).connect()
    try:
        need = store.by_ref(db, lights[0])
        store.update(db, need["id"], {"text": "الطريق مكسور"})
        assert len(search.matching_ids(db, "انارة")) == 2
        assert search.matching_ids(db, "طريق") == [need["id"]]
        store.remove(db, need["id"], reason="spam")
        assert search.matching_ids(db, "طريق") == []
    finally:
        db.close()
