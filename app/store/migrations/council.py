"""Tables of the council feature area (migration set 'sauti-council').

need_merges   one row per "A is a duplicate of B": what un-merge must restore
priorities    what the council decided to work on (ranked), with its history
priority_needs which needs a priority groups (a need is in at most one priority)
actions       the action plan of a priority, with dated progress notes
vote_rounds   a vote on the order of priorities; vote_ballots the members' rankings
"""

import sqlite_utils

from app.store.db import run_script

migrations = sqlite_utils.Migrations("sauti-council")


@migrations()
def m001_triage_priorities_actions_votes(db):
    run_script(
        db,
        """
        CREATE TABLE need_merges (
            id INTEGER PRIMARY KEY,
            need_id INTEGER NOT NULL REFERENCES needs(id),      -- the duplicate
            into_id INTEGER NOT NULL REFERENCES needs(id),      -- the need it was merged into
            previous_status TEXT NOT NULL,
            supporters INTEGER NOT NULL,                         -- added to into_id
            merged_at TEXT NOT NULL,
            merged_by INTEGER REFERENCES users(id),
            unmerged_at TEXT,
            unmerged_by INTEGER REFERENCES users(id)
        );
        CREATE INDEX need_merges_need ON need_merges(need_id);
        CREATE INDEX need_merges_into ON need_merges(into_id);

        CREATE TABLE priorities (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            goals TEXT NOT NULL DEFAULT '[]',     -- JSON list of SDG numbers
            locality TEXT NOT NULL,
            rank INTEGER,                          -- 1 = most important; NULL = not ranked yet
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open','in_progress','done','dropped')),
            text_checked INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id),
            updated_at TEXT NOT NULL
        );
        CREATE TABLE priority_needs (
            priority_id INTEGER NOT NULL REFERENCES priorities(id),
            need_id INTEGER NOT NULL UNIQUE REFERENCES needs(id),
            added_at TEXT NOT NULL,
            PRIMARY KEY (priority_id, need_id)
        );
        CREATE TABLE priority_history (
            id INTEGER PRIMARY KEY,
            priority_id INTEGER NOT NULL REFERENCES priorities(id),
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            role TEXT,
            action TEXT NOT NULL,
            changes TEXT NOT NULL                  -- JSON {field: [old, new]}
        );
        CREATE INDEX priority_history_priority ON priority_history(priority_id);

        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            priority_id INTEGER NOT NULL REFERENCES priorities(id),
            what TEXT NOT NULL,
            responsible TEXT NOT NULL DEFAULT '',  -- a role or office, never a person's account
            budget_amount TEXT,                    -- decimal as text, exact
            budget_currency TEXT,                  -- ISO 4217
            start_date TEXT,                       -- YYYY-MM-DD
            due_date TEXT,
            done_date TEXT,
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned','in_progress','done','blocked')),
            text_checked INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX actions_priority ON actions(priority_id);
        CREATE TABLE action_notes (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id),
            date TEXT NOT NULL,                    -- YYYY-MM-DD, as the council dates it
            note TEXT NOT NULL,
            created_at TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id)
        );
        CREATE INDEX action_notes_action ON action_notes(action_id);

        CREATE TABLE vote_rounds (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            candidates TEXT NOT NULL,              -- JSON list of priority ids
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
            result TEXT,                           -- JSON [{"priority": id, "points": n}] best first
            opened_at TEXT NOT NULL,
            opened_by INTEGER REFERENCES users(id),
            closed_at TEXT,
            applied_at TEXT
        );
        CREATE TABLE vote_ballots (
            round_id INTEGER NOT NULL REFERENCES vote_rounds(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            ranking TEXT NOT NULL,                 -- JSON list of priority ids, best first
            submitted_at TEXT NOT NULL,
            PRIMARY KEY (round_id, user_id)
        );
        """
    )
