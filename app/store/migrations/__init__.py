"""Versioned schema changes, applied in order when a home is opened.

Each feature area owns one `sqlite_utils.Migrations` set in its own module;
SETS fixes the order in which the sets run. A migration is never edited once
released: add a new function to the set instead. Every migration runs in a
transaction together with the record that it ran (sqlite-utils 4).
"""

import sqlite_utils

from . import aggregate, audio, capture, core, council, quick_switch, sync

SETS: list[sqlite_utils.Migrations] = [
    core.migrations,
    capture.migrations,
    council.migrations,
    sync.migrations,
    aggregate.migrations,
    audio.migrations,
    quick_switch.migrations,
]

MIGRATIONS_TABLE = sqlite_utils.Migrations.migrations_table


class NewerHomeError(Exception):
    """The home was written by a newer Sauti than this one."""


def unknown_applied(db: sqlite_utils.Database) -> list[str]:
    """Migrations recorded in the database that this version does not know."""
    if not db[MIGRATIONS_TABLE].exists():
        return []
    known = {(s.name, m.name) for s in SETS for m in s._migrations}
    rows = db.execute(f"SELECT migration_set, name FROM [{MIGRATIONS_TABLE}]").fetchall()
    return [f"{s}/{n}" for s, n in rows if (s, n) not in known]


def upgrade(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; refuse a home made by a newer version.

    Returns the names of the migrations applied now."""
    newer = unknown_applied(db)
    if newer:
        raise NewerHomeError(
            "This node home was written by a newer version of Sauti "
            f"(unknown migrations: {', '.join(newer[:3])}); "
            "install that version or newer before opening it."
        )
    applied = []
    for migration_set in SETS:
        pending = [m.name for m in migration_set.pending(db)]
        if pending:
            migration_set.apply(db)
            applied += [f"{migration_set.name}/{n}" for n in pending]
    return applied


def pending(db: sqlite_utils.Database) -> list[str]:
    return [f"{s.name}/{m.name}" for s in SETS for m in s.pending(db)]
