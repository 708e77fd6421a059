"""Full-text search over need texts, in any script.

Two FTS5 indexes are kept in sync with needs.text by triggers (migration
sauti-capture m002), so every insert and edit updates them in its own
transaction, whoever writes:

* needs_words — unicode61 with diacritics removed: whole words in scripts
  that put spaces between words (Latin, Arabic, Devanagari, Ethiopic ...);
  "ecole" finds "école".
* needs_tri — trigram: any substring of 3+ characters, case-folded; finds
  words inside Chinese, Japanese and Thai sentences, and word parts glued
  to prefixes (Ethiopic, Arabic clitics).

A query is split on white space into terms (at most MAX_TERMS); a need
matches when it matches every term. A term matches by word (needs_words)
or, from 3 characters on, by substring (needs_tri). Trigrams cannot match a
term of 1-2 characters, so such a term in a script written without spaces
between words (Chinese 学校, Thai ไฟ, Ethiopic ውሃ inside የውሃ) is looked up as
a plain substring (instr) over the texts: a scan, fine for the tens of
thousands of needs a node holds.

Both indexes hold the texts as app.store.textfold.fold() writes them (Arabic
hamza, taa marbuta, alef maqsura, short vowels, tatweel and the article;
Persian and Urdu letter forms), and every term is folded the same way, so
"انارة" finds "الإنارة". A term that reads as a reference code (KAN-4F7QXM,
kan4f7qxm) also finds the need with that code.

User input never reaches FTS5's query syntax: every term is passed as one
double-quoted string (inner quotes doubled), bound as a parameter.

On PostgreSQL (a national node) one trigram GIN index (pg_trgm) over
sauti_search(text) — the same fold, written in SQL from the same tables
(textfold.postgres_function), lower case, Latin diacritics removed — answers
every term as a substring (ILIKE, escaped); a term of 1-2 letters in a spaced
script must match a whole word (a regular expression with word bounds), as the
words index does on SQLite. Two-letter Chinese words are substrings there too.
"""

import re
import unicodedata

from .textfold import fold

MAX_TERMS = 8
_SPLIT = re.compile(r"\s+")


def terms(q: str) -> list[str]:
    """The search terms of a query: NFC, split on white space, deduplicated."""
    seen: list[str] = []
    # Control characters (NUL ...) never occur in a need's text and FTS5 cannot take them.
    q = "".join(ch for ch in q or "" if unicodedata.category(ch) != "Cc" or ch.isspace())
    for term in _SPLIT.split(unicodedata.normalize("NFC", q).strip()):
        if term and term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def quote(term: str) -> str:
    """TERM as one FTS5 string: no operator, column filter or prefix star inside
    it has any meaning."""
    return '"' + term.replace('"', '""') + '"'


def _spaced_script(ch: str) -> bool:
    """True for letters of scripts whose short words stand alone between spaces
    (Latin, Greek, Cyrillic, Armenian, Georgian)."""
    cp = ord(ch)
    return cp < 0x0590 or 0x10A0 <= cp <= 0x10FF or 0x1E00 <= cp <= 0x1FFF


def needs_substring_scan(term: str) -> bool:
    """A term too short for trigrams, in a script where words are not
    separated by spaces (or glue to prefixes), is matched as a substring."""
    letters = [ch for ch in term if unicodedata.category(ch)[0] in "LM"]
    return len(term) < 3 and any(not _spaced_script(ch) for ch in letters)


_REF = re.compile(r"^(?:[A-Z0-9]{1,12}-?)?[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")


def as_ref(term: str) -> str | None:
    """TERM in the stored form of a reference code (upper case, the dash before
    the last six characters), or None when it cannot be one."""
    folded = unicodedata.normalize("NFKC", term).upper().replace(".", "").replace(" ", "")
    if not _REF.match(folded):
        return None
    plain = folded.replace("-", "")
    return f"{plain[:-6]}-{plain[-6:]}" if len(plain) > 6 else plain


def _like(term: str) -> str:
    r"""TERM as an ILIKE pattern matching it anywhere, its % _ and \ taken literally."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _regex_literal(term: str) -> str:
    """TERM with every regular-expression operator escaped (PostgreSQL's syntax)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", term)


def where(
    q: str,
    *,
    id_column: str = "needs.id",
    text_column: str = "needs.text",
    ref_column: str | None = "needs.ref",
    postgres: bool = False,
):
    """An SQL condition (and its parameters) that a needs row matches query Q.

    Returns ("1 = 1", []) for an empty query. ID_COLUMN / TEXT_COLUMN / REF_COLUMN
    name the needs columns in the caller's FROM clause (fixed identifiers, not
    input; REF_COLUMN None: no reference codes)."""
    clauses, params = [], []
    for term in terms(q):
        options = []
        ref = as_ref(term) if ref_column else None
        if ref:
            options.append(f"{ref_column} = ?")
            params.append(ref)
        folded = fold(term).strip()
        if folded and postgres:
            if len(folded) >= 3 or needs_substring_scan(folded):
                options.append(f"sauti_search({text_column}) LIKE sauti_search(?)")
                params.append(_like(folded))
            else:
                options.append(
                    f"sauti_search({text_column}) ~ ('\\m' || sauti_search(?) || '\\M')"
                )
                params.append(_regex_literal(folded))
        elif folded:
            quoted = quote(folded)
            options.append(
                f"{id_column} IN (SELECT rowid FROM needs_words WHERE needs_words MATCH ?)"
            )
            params.append(quoted)
            if len(folded) >= 3:
                options.append(
                    f"{id_column} IN (SELECT rowid FROM needs_tri WHERE needs_tri MATCH ?)"
                )
                params.append(quoted)
            elif needs_substring_scan(folded):
                options.append(f"instr(sauti_fold({text_column}), ?) > 0")
                params.append(folded)
        if not options:
            continue
        clauses.append("(" + " OR ".join(options) + ")")
    if not clauses:
        return "1 = 1", []
    return " AND ".join(clauses), params


def matching_ids(db, q: str, *, limit: int = 1000) -> list[int]:
    """Ids of needs matching Q, newest first (for callers outside list_page)."""
    from .db import is_postgres

    clause, params = where(q, postgres=is_postgres(db))
    sql = f"SELECT id FROM needs WHERE {clause} ORDER BY id DESC LIMIT ?"
    return [row[0] for row in db.execute(sql, params + [limit]).fetchall()]
