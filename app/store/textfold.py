"""Spelling folds for search, applied alike to indexed texts and to queries.

People write the same Arabic word in several ordinary ways: with or without
hamza on the alef (إنارة, انارة), taa marbuta or haa at the end (إنارة, إناره),
alef maqsura or yaa (مستشفى, مستشفي), with or without short vowels and tatweel
(إِنَارَة, إنـــارة), with or without the definite article (الإنارة). Persian and
Urdu keyboards type other code points for the same letters (ی for ي, ک for ك,
ہ and ھ for ه). fold() maps every such variant to one form, so a search for
any of them finds all of them:

    >>> fold("الإِنارة") == fold("انارة") == fold("إناره")
    True
    >>> fold("کتاب") == fold("كتاب")
    True

It also applies NFKC (presentation forms, full-width letters) and writes
Arabic-Indic and Persian digits as ASCII digits. Texts in other scripts only
go through NFKC. The fold is registered in SQLite as sauti_fold() on every
connection (app.store.db.connect): the search indexes are built from it.
"""

import re
import unicodedata

# Marks and letters that change nothing of the word's meaning for search.
_DROP = dict.fromkeys(
    [0x0640]  # tatweel
    + list(range(0x064B, 0x0660))  # harakat: fathatan ... wavy hamza below
    + [0x0670]  # superscript alef
    + list(range(0x06D6, 0x06EE)),  # Quranic annotation marks
)
_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ى": "ي", "ی": "ي", "ې": "ي", "ے": "ي", "ۍ": "ي", "ئ": "ي",
        "ة": "ه", "ۃ": "ه", "ہ": "ه", "ھ": "ه", "ە": "ه", "ۀ": "ه",
        "ک": "ك", "ڪ": "ك",
        "ؤ": "و",
        "ٹ": "ت",
    }  # fmt: skip
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
)
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
# The definite article, also behind the conjunctions and prepositions glued to it
# (و ف ب ك), and لل (li + al); only when at least two letters are left.
_ARTICLE = re.compile(rf"(?<![{_ARABIC}\w])(?:[وفبك]?ال|لل)(?=[{_ARABIC}]{{2,}})")
_HAS_ARABIC = re.compile(rf"[{_ARABIC}]")


def fold(text: str | None) -> str:
    """TEXT with the spelling variants above folded into one form."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if not _HAS_ARABIC.search(text):
        return text
    text = text.translate(_DROP).translate(_MAP)
    return _ARTICLE.sub("", text)


def postgres_function(schema: str = "public") -> str:
    """CREATE FUNCTION statements that give PostgreSQL the same fold as
    sauti_fold(), built from the tables above (one definition), and
    sauti_search(): the fold without Latin diacritics, which PostgreSQL's
    search index holds (app.store.search). Names are qualified with SCHEMA (the
    node's), since pg_restore rebuilds the index with an empty search_path."""
    q = '"' + schema.replace('"', '""') + '"'
    # (ordered by what they become: no run of digits in the function's text)
    pairs = sorted(((chr(k), v) for k, v in _MAP.items() if v is not None), key=lambda p: p[::-1])
    source = "".join(a for a, _ in pairs) + "".join(chr(k) for k in _DROP)
    target = "".join(b for _, b in pairs)
    article = _ARTICLE.pattern.replace("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff", _ARABIC)
    arabic = f"[{_ARABIC}]"

    def lit(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    return f"""
        CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {q};
        CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA {q};
        CREATE OR REPLACE FUNCTION {q}.sauti_fold(t text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fold$
            SELECT CASE
                WHEN t IS NULL OR t = '' THEN ''
                WHEN normalize(t, NFKC) !~ {lit(arabic)} THEN normalize(t, NFKC)
                ELSE regexp_replace(
                    translate(normalize(t, NFKC), {lit(source)}, {lit(target)}),
                    {lit(article)}, '', 'g')
            END
        $fold$;
        CREATE OR REPLACE FUNCTION {q}.sauti_search(t text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $search$
            SELECT lower({q}.unaccent('{q}.unaccent'::regdictionary, {q}.sauti_fold(t)))
        $search$;
    """
