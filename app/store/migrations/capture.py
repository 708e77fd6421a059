"""Tables of the capture feature area (migration set 'sauti-capture')."""

import sqlite_utils

from app.store.db import is_postgres, run_script

migrations = sqlite_utils.Migrations("sauti-capture")


@migrations()
def m001_meetings(db):
    run_script(
        db,
        """
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            locality TEXT NOT NULL,
            date TEXT NOT NULL,               -- YYYY-MM-DD as entered
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
            opened_by INTEGER REFERENCES users(id),
            opened_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE TABLE meeting_attendance (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            gender TEXT NOT NULL,
            age_band TEXT NOT NULL,
            count INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (meeting_id, gender, age_band)
        );
        ALTER TABLE needs ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
        CREATE INDEX needs_meeting ON needs(meeting_id);
        """
    )


@migrations()
def m002_categories_and_search(db):
    """The node's category table (seeded with the defaults) and the full-text
    indexes of need texts, kept in sync by triggers in the writer's transaction.

    Two FTS5 indexes over needs.text (external content, no copy of the text):
    needs_words (unicode61, diacritics removed) finds whole words in scripts
    that separate words with spaces; needs_tri (trigram) finds any substring
    of three or more characters, for Chinese, Japanese, Thai and friends.
    Shorter queries in such scripts are answered by app.store.search itself.
    """
    import json

    from schema.categories import DEFAULT_CATEGORIES

    statements = [
        """CREATE TABLE categories (
            code TEXT PRIMARY KEY,
            goals TEXT NOT NULL DEFAULT '[]',   -- JSON list of SDG numbers
            icon TEXT NOT NULL DEFAULT 'cat-other.svg',
            label TEXT,                         -- custom categories only; defaults are translated
            position INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1
        )""",
        """CREATE VIRTUAL TABLE needs_words USING fts5(
            text, content='needs', content_rowid='id',
            tokenize="unicode61 remove_diacritics 2")""",
        """CREATE VIRTUAL TABLE needs_tri USING fts5(
            text, content='needs', content_rowid='id', tokenize='trigram')""",
        """CREATE TRIGGER needs_search_insert AFTER INSERT ON needs BEGIN
            INSERT INTO needs_words(rowid, text) VALUES (new.id, new.text);
            INSERT INTO needs_tri(rowid, text) VALUES (new.id, new.text);
        END""",
        """CREATE TRIGGER needs_search_delete AFTER DELETE ON needs BEGIN
            INSERT INTO needs_words(needs_words, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO needs_tri(needs_tri, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
        """CREATE TRIGGER needs_search_update AFTER UPDATE OF text ON needs BEGIN
            INSERT INTO needs_words(needs_words, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO needs_tri(needs_tri, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO needs_words(rowid, text) VALUES (new.id, new.text);
            INSERT INTO needs_tri(rowid, text) VALUES (new.id, new.text);
        END""",
        "INSERT INTO needs_words(needs_words) VALUES ('rebuild')",
        "INSERT INTO needs_tri(needs_tri) VALUES ('rebuild')",
    ]
    if is_postgres(db):
        statements = statements[:1]
        _postgres_search_index(db)
    for sql in statements:
        db.execute(sql)
    for position, category in enumerate(DEFAULT_CATEGORIES.values()):
        db.execute(
            "INSERT INTO categories(code, goals, icon, position) VALUES (?, ?, ?, ?)",
            [category.code, json.dumps(list(category.goals)), category.icon, position],
        )


@migrations()
def m003_removed_needs(db):
    """A need removed as spam or on the citizen's erasure request keeps its row
    (history, references) but loses its text and personal data."""
    db.execute("ALTER TABLE needs ADD COLUMN removed TEXT")  # reason, NULL when not removed


@migrations()
def m004_category_labels(db):
    """A category's name per interface language ({"sw": "Maji", ...}), set by
    an admin; a language without one falls back to the built-in translation."""
    db.execute("ALTER TABLE categories ADD COLUMN labels TEXT NOT NULL DEFAULT '{}'")


@migrations()
def m005_search_folds_spelling(db):
    """The search indexes are rebuilt over sauti_fold(text) (app.store.textfold:
    Arabic hamza, taa marbuta, alef maqsura, short vowels, tatweel and the article,
    Persian and Urdu letter forms), so that ordinary spelling variants find each other.

    Both indexes become contentless (content=''): they index the folded text,
    which the needs table does not hold; the triggers hand them the folded old
    text to delete. A change to fold() needs a migration that rebuilds them."""
    statements = [
        "DROP TRIGGER needs_search_insert",
        "DROP TRIGGER needs_search_delete",
        "DROP TRIGGER needs_search_update",
        "DROP TABLE needs_words",
        "DROP TABLE needs_tri",
        """CREATE VIRTUAL TABLE needs_words USING fts5(
            text, content='', tokenize="unicode61 remove_diacritics 2")""",
        "CREATE VIRTUAL TABLE needs_tri USING fts5(text, content='', tokenize='trigram')",
        """CREATE TRIGGER needs_search_insert AFTER INSERT ON needs BEGIN
            INSERT INTO needs_words(rowid, text) VALUES (new.id, sauti_fold(new.text));
            INSERT INTO needs_tri(rowid, text) VALUES (new.id, sauti_fold(new.text));
        END""",
        """CREATE TRIGGER needs_search_delete AFTER DELETE ON needs BEGIN
            INSERT INTO needs_words(needs_words, rowid, text)
                VALUES ('delete', old.id, sauti_fold(old.text));
            INSERT INTO needs_tri(needs_tri, rowid, text)
                VALUES ('delete', old.id, sauti_fold(old.text));
        END""",
        """CREATE TRIGGER needs_search_update AFTER UPDATE OF text ON needs BEGIN
            INSERT INTO needs_words(needs_words, rowid, text)
                VALUES ('delete', old.id, sauti_fold(old.text));
            INSERT INTO needs_tri(needs_tri, rowid, text)
                VALUES ('delete', old.id, sauti_fold(old.text));
            INSERT INTO needs_words(rowid, text) VALUES (new.id, sauti_fold(new.text));
            INSERT INTO needs_tri(rowid, text) VALUES (new.id, sauti_fold(new.text));
        END""",
        "INSERT INTO needs_words(rowid, text) SELECT id, sauti_fold(text) FROM needs",
        "INSERT INTO needs_tri(rowid, text) SELECT id, sauti_fold(text) FROM needs",
    ]
    if is_postgres(db):
        _postgres_search_index(db)
        return
    for sql in statements:
        db.execute(sql)


def _postgres_search_index(db):
    """PostgreSQL's search (app.store.search): one trigram GIN index over the folded
    text, kept by the server itself (an expression index: no trigger, no copy).
    Re-created with the fold, so a migration that changes fold() calls this again."""
    from app.store.textfold import postgres_function

    schema = db.execute("SELECT current_schema()").fetchone()[0]
    q = '"' + schema.replace('"', '""') + '"'
    run_script(db, postgres_function(schema))
    run_script(
        db,
        f"""DROP INDEX IF EXISTS needs_search;
        CREATE INDEX needs_search ON needs USING gin ({q}.sauti_search(text) {q}.gin_trgm_ops);""",
    )


@migrations()
def m006_kiosk_devices(db):
    """Kiosk devices an admin enrolled: each keeps a device token (in a cookie) and
    gets its own submission limit instead of its network address's."""
    db.execute(
        """CREATE TABLE kiosk_devices (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,    -- sha256 of the device token, hex
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            revoked_at TEXT
        )"""
    )
