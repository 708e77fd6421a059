"""The one place that opens and prepares the node's database connections.

SQLite (a file in the node home) is the default; an address postgresql://...
opens the node's PostgreSQL database instead (app.store.pg), with the same face.
"""

import contextlib
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from schema.fields import prefix

from . import textfold

BUSY_TIMEOUT_MS = 10_000


def is_address(target) -> bool:
    """True when TARGET names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def is_postgres(db) -> bool:
    return getattr(db, "engine", "sqlite") == "postgresql"


def connect(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open the node database with the pragmas every connection needs.

    PATH is the SQLite file, or a postgresql:// address (app.store.pg).

    WAL lets readers run beside the single writer; synchronous=FULL makes a
    committed (acknowledged) write survive a power cut; foreign keys on; a busy
    timeout so concurrent writers wait instead of failing; secure_delete so that
    deleted content is overwritten, not left in free pages.
    """
    if is_address(path):
        from .pg import PgDatabase

        return PgDatabase(path)
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
    # Locality levels of the roll-up are grouped in the database (path_prefix).
    conn.create_function(
        "sauti_prefix", 2, lambda path, n: path and prefix(path, n), deterministic=True
    )
    # Erased personal data must not linger in free pages (CONTRACT "Needs", DELETE).
    conn.execute("PRAGMA secure_delete=ON")
    return sqlite_utils.Database(conn)


def path_prefix(column: str, n: int) -> str:
    """SQL for the first N segments of the locality path in COLUMN (the whole path
    when it is shorter), on either engine: sauti_prefix is a function of every
    SQLite connection (connect) and of the PostgreSQL schema (aggregate m003)."""
    return f"sauti_prefix({column}, {int(n)})"


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
    page with erased data stays in the WAL file). True when it completed.

    On PostgreSQL: VACUUM the tables that held the erased texts, so no dead row
    version keeps them in the table files (the server's WAL, archive and replicas
    follow their own retention: docs/national-node.md)."""
    if is_postgres(db):
        return _vacuum(db)
    try:
        busy = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError:
        return False
    return busy == 0


ERASED_TABLES = (
    "needs", "need_history", "shared_needs", "received_batches", "sync_outbox",
    "sync_outgoing", "sync_upload_chunks", "audio_notes",
)  # fmt: skip


def _vacuum(db) -> bool:
    if db.conn.in_transaction:
        return False
    try:
        db.execute(f"VACUUM {', '.join(ERASED_TABLES)}")
    except sqlite3.Error:
        return False
    return True


SQLITE_FULL = 13
SOFT_HEAP_LIMIT = 4 * 1024 * 1024


def limit_memory(db: sqlite_utils.Database, limit: int = SOFT_HEAP_LIMIT) -> None:
    """Cap SQLite's memory for the whole process (all connections together): page
    caches and sorts are recycled to stay near LIMIT instead of each server
    thread's connection keeping its own 2 MB cache (and more while sorting).
    Soft: SQLite never fails a query because of it. (PostgreSQL: the server's own.)"""
    if is_postgres(db):
        return
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
    """True when SQLite's quick integrity check finds nothing wrong (PostgreSQL
    checks its own pages; there: the database answers)."""
    if is_postgres(db):
        return db.execute("SELECT 1").fetchone()[0] == 1
    return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def server_version(db) -> int:
    """PostgreSQL's version number (150004 for 15.4)."""
    return int(db.execute("SHOW server_version_num").fetchone()[0])


def is_empty(db) -> bool:
    """True when the PostgreSQL database holds no table in its schema (a new node's)."""
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
    return db.execute(sql).fetchone()[0] == 0


def table_exists(db, name: str) -> bool:
    """True when table NAME exists (a feature area's table may not yet)."""
    if is_postgres(db):
        return db.execute("SELECT to_regclass(?) IS NOT NULL", [name]).fetchone()[0]
    sql = "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?"
    return db.execute(sql, [name]).fetchone() is not None


def rows_in(db, sql: str, params: list, values: list, chunk: int = 500) -> list[dict]:
    """Rows of SQL, which ends in `IN ({marks})`, for every one of VALUES: one
    query per CHUNK values (a round trip per value is what a database server makes
    costly)."""
    out: list[dict] = []
    for i in range(0, len(values), chunk):
        part = values[i : i + chunk]
        out += db.query(sql.format(marks=", ".join("?" * len(part))), [*params, *part])
    return out


def rows_for(db, sql: str, tuples: list[tuple], chunk: int = 200, params=()) -> list[dict]:
    """Rows of SQL, which starts `WITH q(COLUMNS) AS (VALUES {rows})` and joins q,
    for every tuple of TUPLES (PARAMS: those of the rest of SQL): one query per
    CHUNK tuples, so a bundle's thousand batches cost a few round trips to a
    database server, not a thousand. PostgreSQL types q's columns as text (the
    parameters are untyped, as SQLite's are): SQL casts those it compares to numbers."""
    out: list[dict] = []
    with index_lookups(db):
        for i in range(0, len(tuples), chunk):
            part = tuples[i : i + chunk]
            marks = ", ".join("(" + ", ".join("?" * len(t)) + ")" for t in part)
            out += db.query(sql.format(rows=marks), [*(v for t in part for v in t), *params])
    return out


@contextlib.contextmanager
def index_lookups(db):
    """PostgreSQL, inside a transaction: the statements run here (lookups of a list
    of values, joined with `lookup`) are planned as index lookups, whatever the
    statistics say. Statistics taken before a big bundle (received_records holding
    only enrolments, of one origin) made the server scan the table once per listed
    value: minutes per bundle. Elsewhere: nothing to do (SQLite plans these joins
    as index lookups)."""
    on = is_postgres(db) and db.conn.in_transaction
    if on:
        db.execute("SET LOCAL enable_seqscan = off")
    yield  # on an error the (sub)transaction's rollback undoes the SET LOCAL
    if on:
        db.execute("SET LOCAL enable_seqscan = on")


def lookup(db, table: str, alias: str, condition: str) -> str:
    """The SQL joining TABLE (as ALIAS) to the rows before it on CONDITION, as an
    index lookup per row. SQLite plans a join that way; PostgreSQL gets a LATERAL
    subquery (OFFSET 0 keeps it from being pulled up into a plain join): with
    index_lookups, statistics from before a big bundle (a table that grew since its
    last ANALYZE) cannot make it scan TABLE once per row of a VALUES list."""
    if is_postgres(db):
        fenced = f"SELECT * FROM {table} {alias} WHERE {condition} OFFSET 0"
        return f"CROSS JOIN LATERAL ({fenced}) {alias}"
    return f"JOIN {table} {alias} ON {condition}"


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
    creating a home. A statement can only end at a semicolon, so only those are tried.
    On PostgreSQL the script goes to the server at once."""
    if is_postgres(db):
        db.executescript(sql)
        return
    start, end = 0, sql.find(";")
    while end != -1:
        if sqlite3.complete_statement(sql[start : end + 1]):
            db.execute(sql[start : end + 1])
            start = end + 1
        end = sql.find(";", end + 1)
    if sql[start:].strip():
        db.execute(sql[start:])
