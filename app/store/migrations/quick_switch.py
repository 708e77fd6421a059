"""Tables of the shared-tablet quick switch (migration set 'sauti-quick-switch')."""

import sqlite_utils

from app.store.db import run_script

migrations = sqlite_utils.Migrations("sauti-quick-switch")


@migrations()
def m001_device_pins(db):
    run_script(
        db,
        """
        CREATE TABLE device_signins (
            device TEXT NOT NULL,             -- sha256 hex of the device cookie
            user_id INTEGER NOT NULL REFERENCES users(id),
            day TEXT NOT NULL,                -- UTC date of the last password sign-in here
            pin_hash TEXT,                    -- argon2id; NULL until a PIN is set that day
            PRIMARY KEY (device, user_id)
        );
        CREATE TABLE device_locks (
            device TEXT PRIMARY KEY,
            failures INTEGER NOT NULL DEFAULT 0,  -- wrong PINs in a row on this device
            closed_at TEXT                    -- set at the 5th: closed until a password sign-in
        );
        """
    )
