"""Tables of the sync feature area (migration set 'sauti-sync').

shared_* tables hold the current shared (anonymized) form of records received
from the subtree, one row per (origin, key); columns follow schema/shared.py.
"""

import sqlite_utils

from app.store.db import run_script

migrations = sqlite_utils.Migrations("sauti-sync")


@migrations()
def m001_shared_records(db):
    run_script(
        db,
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


@migrations()
def m002_batches_uploads_nodes(db):
    """Signed batches (own outbox and received), per-(origin, seq) content hashes,
    tombstones of retracted records, known node keys, and HTTP upload sessions."""
    run_script(
        db,
        """
        -- This node's own origin-signed batches, kept until the parent acknowledges them.
        CREATE TABLE sync_outbox (
            id INTEGER PRIMARY KEY,
            first_seq INTEGER NOT NULL UNIQUE,
            last_seq INTEGER NOT NULL UNIQUE,
            hash TEXT NOT NULL UNIQUE,
            data BLOB NOT NULL,
            records INTEGER NOT NULL,
            acked INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            CHECK (first_seq <= last_seq)
        );
        -- Nodes whose batches this node can verify: enrolled children (direct = 1)
        -- and their descendants, vouched for by signed enrolment records.
        CREATE TABLE sync_nodes (
            node_id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            locality TEXT NOT NULL,
            level TEXT,
            vouched_by TEXT NOT NULL,
            direct INTEGER NOT NULL DEFAULT 0,
            rewinds INTEGER NOT NULL DEFAULT 0,  -- times it came back behind (restored)
            first_seen TEXT NOT NULL
        );
        -- Batches received from the subtree, stored as received (forwarded unchanged).
        CREATE TABLE received_batches (
            id INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            data BLOB NOT NULL,
            records INTEGER NOT NULL,
            via TEXT NOT NULL,
            forwarded INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL
        );
        CREATE INDEX received_batches_origin ON received_batches(origin, first_seq);
        CREATE INDEX received_batches_forward ON received_batches(forwarded, id);
        -- One content hash per (origin, seq): the constraint makes each record count once.
        CREATE TABLE received_records (
            origin TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            hash BLOB NOT NULL,
            PRIMARY KEY (origin, seq)
        ) WITHOUT ROWID;
        CREATE TABLE shared_tombstones (
            origin TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (origin, kind, key)
        );
        CREATE INDEX shared_needs_origin_seq ON shared_needs(origin, seq);
        CREATE TABLE sync_uploads (
            id TEXT PRIMARY KEY,
            child_key TEXT NOT NULL,
            bundle_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            received INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
            answer TEXT,
            started_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (child_key, bundle_hash)
        );
        CREATE TABLE sync_upload_chunks (
            upload_id TEXT NOT NULL REFERENCES sync_uploads(id) ON DELETE CASCADE,
            offset INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (upload_id, offset)
        );
        -- The bundle being pushed, kept so an interrupted upload resumes with the same bytes.
        CREATE TABLE sync_outgoing (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hash TEXT NOT NULL,
            data BLOB NOT NULL,
            own_hashes TEXT NOT NULL,
            forwarded_ids TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m003_alerts_held(db):
    """Alerts an admin must see until cleared, and shared records held back
    because they failed the shared schema when their batch was sealed."""
    run_script(
        db,
        """
        CREATE TABLE sync_alerts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,               -- identity_conflict, refused, held_back ...
            message TEXT NOT NULL,
            child TEXT,                       -- the child's name when it concerns one
            created_at TEXT NOT NULL
        );
        CREATE TABLE sync_held (
            seq INTEGER PRIMARY KEY,          -- the event that was held back
            kind TEXT NOT NULL,
            record TEXT NOT NULL,
            reason TEXT NOT NULL,
            held_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m004_received_records_key(db):
    """Withholding looks up every stored version of a record by its key: without an
    index by key, each lookup scanned all of the origin's records, and a community's
    first bundle of 10,000 needs took 28 s of lookups at its parent (benchmark,
    BENCHMARKS.md "Sync")."""
    run_script(
        db, "CREATE INDEX received_records_key ON received_records(origin, kind, key);"
    )
