"""Core tables: node identity, settings, users, tokens, login throttling, needs."""

import sqlite_utils

from app.store.db import run_script

migrations = sqlite_utils.Migrations("sauti-core")


@migrations()
def m001_node_settings_users(db):
    run_script(
        db,
        """
        CREATE TABLE node (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            node_id TEXT NOT NULL,
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('community','district','region','nation')),
            locality TEXT NOT NULL,
            language TEXT NOT NULL,
            public_key TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('facilitator','council','analyst','admin')),
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            session_version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            prefix TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE INDEX tokens_prefix ON tokens(prefix);
        CREATE TABLE login_failures (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_at REAL NOT NULL
        );
        """
    )


@migrations()
def m002_needs(db):
    run_script(
        db,
        """
        CREATE TABLE needs (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL UNIQUE,
            submission_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL,
            goals TEXT NOT NULL,              -- JSON list of SDG numbers
            locality TEXT NOT NULL,
            gender TEXT NOT NULL,
            age_band TEXT NOT NULL,
            groups TEXT NOT NULL,             -- JSON list
            channel TEXT NOT NULL,
            supporters INTEGER NOT NULL,
            respondent_name TEXT,             -- personal data: never shared
            respondent_contact TEXT,          -- personal data: never shared, erased after retention
            consent INTEGER NOT NULL DEFAULT 0,
            captured_at TEXT,
            week TEXT NOT NULL,               -- ISO week of capture (YYYY-Www)
            received_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new','accepted','merged','set_aside','planned','resolved')),
            merged_into INTEGER REFERENCES needs(id),
            captured_by INTEGER REFERENCES users(id),
            hidden INTEGER NOT NULL DEFAULT 0, -- kiosk needs wait for a council member
            text_checked INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX needs_status ON needs(status);
        CREATE INDEX needs_category ON needs(category);
        CREATE INDEX needs_locality ON needs(locality);
        CREATE INDEX needs_received ON needs(received_at);
        CREATE TABLE need_history (
            id INTEGER PRIMARY KEY,
            need_id INTEGER NOT NULL REFERENCES needs(id),
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            role TEXT,
            action TEXT NOT NULL,
            changes TEXT NOT NULL             -- JSON {field: [old, new]}
        );
        CREATE INDEX need_history_need ON need_history(need_id);
        """
    )


@migrations()
def m003_tree_and_outbox(db):
    run_script(
        db,
        """
        CREATE TABLE parent (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            url TEXT NOT NULL,
            public_key TEXT NOT NULL,
            set_at TEXT NOT NULL
        );
        CREATE TABLE children (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            public_key TEXT NOT NULL UNIQUE,
            node_id TEXT UNIQUE,
            enrolled_at TEXT NOT NULL,
            last_seen TEXT,
            records INTEGER NOT NULL DEFAULT 0
        );
        -- The append-only log of shareable changes: the sync cursor is seq, never a clock.
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            record TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        """
    )


@migrations()
def m004_sessions_and_audit(db):
    """Browser sessions kept on the node (the cookie holds only a random id,
    stored here as its SHA-256), and the administration audit list."""
    run_script(
        db,
        """
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,               -- a user name, or 'cli'
            action TEXT NOT NULL,              -- a stable code: user_add, setting_set ...
            target TEXT NOT NULL DEFAULT '',   -- what it acted on: a user name, a key ...
            details TEXT NOT NULL DEFAULT '{}' -- JSON; never a password or a token
        );
        CREATE INDEX audit_at ON audit(at);
        """
    )
