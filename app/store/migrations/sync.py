"""Tables of the sync feature area (migration set 'sauti-sync').

shared_* tables hold the current shared (anonymized) form of records received
from the subtree, one row per (origin, key); columns follow schema/shared.py.
"""

import sqlite_utils

migrations = sqlite_utils.Migrations("sauti-sync")


@migrations()
def m001_shared_records(db):
    db.executescript(
        """
        CREATE TABLE shared_needs (
            origin TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,             -- origin seq of the latest state
            text TEXT,
            language TEXT NOT NULL,
            category TEXT NOT NULL,
            goals TEXT NOT NULL,              -- JSON list
            locality TEXT NOT NULL,
            gender TEXT NOT NULL,
            age_band TEXT NOT NULL,
            groups TEXT NOT NULL,             -- JSON list
            channel TEXT NOT NULL,
            supporters INTEGER NOT NULL,
            status TEXT NOT NULL,
            merged_into TEXT,
            week TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (origin, key)
        );
        CREATE INDEX shared_needs_locality ON shared_needs(locality);
        CREATE TABLE shared_meetings (
            origin TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            title TEXT,
            locality TEXT NOT NULL,
            week TEXT NOT NULL,
            attendance TEXT NOT NULL,         -- JSON [{gender, age_band, count}]
            received_at TEXT NOT NULL,
            PRIMARY KEY (origin, key)
        );
        CREATE TABLE shared_priorities (
            origin TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            body TEXT NOT NULL,               -- JSON of SharedPrioritySchema
            locality TEXT NOT NULL,
            status TEXT NOT NULL,
            week TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (origin, key)
        );
        CREATE TABLE shared_actions (
            origin TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            priority TEXT NOT NULL,
            body TEXT NOT NULL,               -- JSON of SharedActionSchema
            status TEXT NOT NULL,
            due_week TEXT,
            done_week TEXT,
            received_at TEXT NOT NULL,
            PRIMARY KEY (origin, key)
        );
        """
    )
