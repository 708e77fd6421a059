"""A node's store on PostgreSQL, behind the face the data layer already uses.

The store (app/store) talks to a `sqlite_utils.Database`: execute() and query()
with SQLite's SQL, `db.conn` for executemany() and the transaction state,
atomic(), and db[table].exists() / insert() in two places. PgDatabase offers
exactly that face over one psycopg 3 connection, so every store module runs on
both engines unchanged; app.store.dialect turns each statement into
PostgreSQL's SQL once (cached).

Behaviour kept the same as on SQLite:
* autocommit outside write(); write()'s `BEGIN IMMEDIATE` takes one advisory
  lock, so writers take turns as on SQLite;
* integers are sent untyped (like strings), so a value compares with a TEXT or
  an INTEGER column as SQLite lets it; numeric results come back as int or float;
* errors are sqlite3's classes (IntegrityError, OperationalError, DatabaseError)
  so the store's `except` clauses hold. A failed statement spoils PostgreSQL's
  whole transaction (SQLite's stays usable): every store write that may fail
  runs in its own write() (a savepoint when nested), and no caller goes on in a
  transaction after a refused statement.

psycopg is imported only when a node's database is PostgreSQL.
"""

import contextlib
import re
import sqlite3
from decimal import Decimal

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg.types.string import StrDumperUnknown

from .dialect import to_postgres

_INSERT_INTO = re.compile(r"\s*INSERT\s+INTO\s+([A-Za-z_]\w*)", re.IGNORECASE)
CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_S = 60


class _IntUnknown(Dumper):
    """Python ints (and bools) as untyped literals: PostgreSQL gives them the
    type of what they meet (a TEXT column, a BIGINT, a LIMIT), as SQLite does."""

    oid = 0

    def dump(self, obj):
        return str(int(obj)).encode()


class _TextWithoutNul(StrDumperUnknown):
    """PostgreSQL's text cannot hold NUL (SQLite's can): a NUL a client sent is
    stored as U+FFFD, the same on every write and every lookup."""

    def dump(self, obj):
        return super().dump(obj.replace("\0", "\ufffd") if "\0" in obj else obj)


class _NumericLoader(Loader):
    """sum() of integers is numeric in PostgreSQL: back to int (or float)."""

    def load(self, data):
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _translate_error(exc: psycopg.Error) -> sqlite3.Error:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, pg_errors.IntegrityError):
        err = sqlite3.IntegrityError(message)
    elif isinstance(exc, pg_errors.DiskFull):
        err = sqlite3.OperationalError(f"database or disk is full ({message})")
        err.sqlite_errorcode = 13
    elif isinstance(exc, (pg_errors.UndefinedTable, pg_errors.UndefinedColumn)):
        err = sqlite3.OperationalError(message)
    elif isinstance(exc, pg_errors.LockNotAvailable):
        err = sqlite3.OperationalError(f"database is locked ({message})")
    elif isinstance(exc, psycopg.OperationalError):
        err = sqlite3.OperationalError(message)
    else:
        err = sqlite3.DatabaseError(message)
    err.pgcode = getattr(exc, "sqlstate", None)
    return err


class PgCursor:
    """The part of sqlite3.Cursor the store uses."""

    def __init__(self, cursor: psycopg.Cursor, *, lastrowid: int | None = None):
        self._cur = cursor
        self.lastrowid = lastrowid

    @property
    def description(self):
        return self._cur.description

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self):
        return self._cur.fetchall() if self._cur.description else []

    def fetchmany(self, size: int = 1):
        return self._cur.fetchmany(size) if self._cur.description else []

    def __iter__(self):
        return iter(self._cur) if self._cur.description else iter(())


class PgConnection:
    """The part of sqlite3.Connection the store uses (db.conn)."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw
        self._with_id: frozenset[str] | None = None

    def _returning_id(self, text: str) -> bool:
        """True when TEXT inserts into a table with an identity column `id`: it then
        gets RETURNING id, which is sqlite3's lastrowid (exact even when triggers or
        later statements draw other ids)."""
        m = _INSERT_INTO.match(text)
        if not m or " RETURNING " in text.upper():
            return False
        if self._with_id is None:
            self._with_id = frozenset(r[0] for r in self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                "AND is_identity = 'YES' AND table_schema = current_schema()"))  # fmt: skip
        return m.group(1).lower() in self._with_id

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params=None) -> PgCursor:
        params = None if params is None or (not isinstance(params, dict) and not params) else params
        text = to_postgres(sql, params is not None)
        verb = text.lstrip()[:6].upper()
        insert = verb == "INSERT"
        if verb in ("CREATE", "ALTER ", "DROP T"):
            self._with_id = None  # the tables may change
        returning = insert and self._returning_id(text)
        if returning:
            text += " RETURNING id"
        cur = self.raw.cursor()
        try:
            cur.execute(text, params)
        except psycopg.Error as exc:
            raise _translate_error(exc) from exc
        if returning:
            ids = cur.fetchall()
            return PgCursor(cur, lastrowid=ids[-1][0] if ids else None)
        return PgCursor(cur)

    def executemany(self, sql: str, seq_of_params) -> PgCursor:
        rows = list(seq_of_params)
        cur = self.raw.cursor()
        if rows:
            try:
                cur.executemany(to_postgres(sql, True), rows)
            except psycopg.Error as exc:
                raise _translate_error(exc) from exc
        return PgCursor(cur)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        """As sqlite3's: commit an open transaction, or roll it back on an error."""
        if exc_type is None:
            self.commit()
        else:
            self.rollback()
        return False

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


class PgTable:
    def __init__(self, db: "PgDatabase", name: str):
        self.db, self.name = db, name

    def exists(self) -> bool:
        return self.db.execute("SELECT to_regclass(?) IS NOT NULL", [self.name]).fetchone()[0]

    @property
    def count(self) -> int:
        return self.db.execute(f"SELECT count(*) FROM {self.name}").fetchone()[0]

    def insert(self, row: dict) -> None:
        cols = ", ".join(row)
        self.db.execute(
            f"INSERT INTO {self.name}({cols}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


class PgDatabase:
    """A node's PostgreSQL database, with the sqlite_utils.Database face the store uses."""

    engine = "postgresql"
    home_folder = None  # the node home (audio notes live there); set by Home.connect()

    def __init__(self, address: str):
        self.address = address
        try:
            raw = psycopg.connect(address, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise _translate_error(exc) from exc
        raw.adapters.register_dumper(int, _IntUnknown)
        raw.adapters.register_dumper(bool, _IntUnknown)
        raw.adapters.register_dumper(str, _TextWithoutNul)
        raw.adapters.register_loader("numeric", _NumericLoader)
        raw.execute("SET client_encoding TO 'UTF8'")
        # As SQLite's busy timeout: a writer waits its turn, but not for ever; and a
        # transaction left open by a stuck thread cannot hold the writer lock for ever.
        raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
        raw.execute("SET idle_in_transaction_session_timeout = '10min'")
        # JIT compiling took 1.4 s of the 1.6 s the roll-up trigger spent on a bundle
        # of 2,000 needs (its plan looks costly to the planner): the store's queries
        # are short; compiling them never pays.
        raw.execute("SET jit = off")
        # The roll-up trigger groups a bundle's ~10^6 (cell, need) pairs: with the
        # default 4 MB its sorts spill to disk (apply about 6% slower, side by side).
        raw.execute("SET work_mem = '64MB'")
        self.conn = PgConnection(raw)

    def execute(self, sql: str, params=None) -> PgCursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params=None):
        cur = self.conn.execute(sql, params)
        if cur.description is None:
            return
        names = [c.name for c in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    def executescript(self, sql: str) -> None:
        """Several statements at once (no parameters), inside the caller's transaction."""
        self.conn._with_id = None  # the tables may change
        try:
            self.conn.raw.execute(to_postgres(sql, False), prepare=False)
        except psycopg.Error as exc:
            raise _translate_error(exc) from exc

    @contextlib.contextmanager
    def atomic(self):
        raw = self.conn.raw
        if self.conn.in_transaction:
            with raw.transaction():  # a savepoint
                yield
            return
        raw.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        else:
            raw.execute("COMMIT")

    def copy_rows(self, table: str, columns: tuple[str, ...], rows) -> int:
        """COPY ROWS into TABLE (inside the caller's transaction): the bulk path."""
        n = 0
        statement = to_postgres(f"COPY {table} ({', '.join(columns)}) FROM STDIN", False)
        try:
            with self.conn.raw.cursor().copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        except psycopg.Error as exc:
            raise _translate_error(exc) from exc
        return n

    @property
    def broken(self) -> bool:
        """True when the server closed the connection (a restart): open a new one."""
        return self.conn.raw.closed or self.conn.raw.broken

    def __getitem__(self, name: str) -> PgTable:
        return PgTable(self, name)

    def close(self) -> None:
        self.conn.close()

    def __del__(self):
        # A server thread's connection lives as long as the thread (app/database.py);
        # close it quietly when that ends, as a sqlite3 connection does.
        try:
            self.conn.raw.close()
        except Exception:
            pass
