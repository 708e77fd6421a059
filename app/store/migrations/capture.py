"""Tables of the capture feature area (migration set 'sauti-capture')."""

import sqlite_utils

migrations = sqlite_utils.Migrations("sauti-capture")


@migrations()
def m001_meetings(db):
    db.executescript(
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
