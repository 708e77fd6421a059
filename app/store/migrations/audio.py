"""Tables of the audio notes (migration set 'sauti-audio').

An audio note is personal data kept on the node only: its bytes are a file in
the home's `audio/` folder (never in the database, so no backup, bundle or
export can carry them); this table says which need it belongs to.
"""

import sqlite_utils

from app.store.db import run_script

migrations = sqlite_utils.Migrations("sauti-audio")


@migrations()
def m001_audio_notes(db):
    run_script(
        db,
        """
        CREATE TABLE audio_notes (
            uuid TEXT PRIMARY KEY,            -- the need's client uuid (may come before the need)
            file TEXT NOT NULL UNIQUE,        -- random file name in HOME/audio
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size > 0),
            stored_at TEXT NOT NULL,          -- first stored; retention counts from here
            stored_by INTEGER REFERENCES users(id)
        );
        CREATE INDEX audio_notes_stored ON audio_notes(stored_at);
        """
    )
