"""The one place that opens and prepares SQLite connections."""

import contextlib
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from . import textfold

BUSY_TIMEOUT_MS = 10_000


def connect(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open the node database with the pragmas every connection needs.

    WAL lets readers run beside the single writer; synchronous=FULL makes a
    committed (acknowledged) write survive a power cut; foreign keys on; a busy
    timeout so concurrent writers wait instead of failing; secure_delete so that
    deleted content is overwritten, not left in free pages.
    """
    if readonly:
        conn = sqlite3.connect(
            f"file:{Path(path)}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if not readonly:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # The search indexes are built from this fold (migration sauti-capture m005).
    conn.create_function("sauti_fold", 1, textfold.fold, deterministic=True)
    # Erased personal data must not linger in free pages (CONTRACT "Needs", DELETE).
    conn.execute("PRAGMA secure_delete=ON")
    return sqlite_utils.Database(conn)


@contextlib.contextmanager
def write(db: sqlite_utils.Database, *, retries: int = 5):
    """One write transaction, taken with BEGIN IMMEDIATE so two writers never
    deadlock on a lock upgrade. Nested calls become savepoints."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    for attempt in range(retries):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == retries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def checkpoint(db: sqlite_utils.Database) -> bool:
    """Copy the WAL into the database and truncate it (after an erasure, so no old
    page with erased data stays in the WAL file). True when it completed."""
    try:
        busy = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError:
        return False
    return busy == 0


SQLITE_FULL = 13
SOFT_HEAP_LIMIT = 4 * 1024 * 1024


def limit_memory(db: sqlite_utils.Database, limit: int = SOFT_HEAP_LIMIT) -> None:
    """Cap SQLite's memory for the whole process (all connections together): page
    caches and sorts are recycled to stay near LIMIT instead of each server
    thread's connection keeping its own 2 MB cache (and more while sorting).
    Soft: SQLite never fails a query because of it."""
    db.execute(f"PRAGMA soft_heap_limit={int(limit)}")


def disk_full(exc: BaseException) -> bool:
    """True when a write failed because the disk (or its quota) is full: SQLite's
    SQLITE_FULL, or ENOSPC from the operating system. The failed transaction was
    rolled back; everything committed before is intact."""
    import errno

    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return (code is not None and code & 0xFF == SQLITE_FULL) or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def integrity_ok(db: sqlite_utils.Database) -> bool:
    """True when SQLite's quick integrity check finds nothing wrong."""
    return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def one(db: sqlite_utils.Database, sql: str, params=()) -> dict | None:
    """The first row of a query as a dict, or None."""
    return next(iter(db.query(sql, params)), None)


def all_rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    return list(db.query(sql, params))


def rows_within(
    db: sqlite_utils.Database, sql: str, limit_bytes: int | None, params=()
) -> list[dict]:
    """Rows of a query in order until their `data` blobs would exceed LIMIT_BYTES
    (always at least one row, so a single large row still moves)."""
    rows, total = [], 0
    for row in db.query(sql, params):
        if limit_bytes is not None and rows and total + len(row["data"]) > limit_bytes:
            break
        total += len(row["data"])
        rows.append(row)
    return rows


def run_script(db: sqlite_utils.Database, sql: str) -> None:
    """Run the statements of SQL one by one, inside the caller's transaction (a
    migration's): sqlite3's executescript would commit first, and sqlite-utils'
    splits a script by testing every prefix of it, which took half the time of
    creating a home. A statement can only end at a semicolon, so only those are tried."""
    start, end = 0, sql.find(";")
    while end != -1:
        if sqlite3.complete_statement(sql[start : end + 1]):
            db.execute(sql[start : end + 1])
            start = end + 1
        end = sql.find(";", end + 1)
    if sql[start:].strip():
        db.execute(sql[start:])
