"""A node home: the folder holding a node's database, keys, session secret.

    home/
      sauti.db        the SQLite database (settings included), or
      database        the address of its PostgreSQL database instead, owner-only
                      (postgresql://..., CONTRACT "PostgreSQL"; app.store.pg)
      node.key        Ed25519 signing key, owner-only (0600)
      node.pub        the public key, standard base64
      secret_key      session signing secret, owner-only (0600)
      tls/            the node-local CA and HTTPS certificate (app/node/tls.py)
      backups/        daily backups taken by the scheduler (7 kept)
      logs/           sauti.log, rotated (only when not run under systemd/journald)

Nothing here imports Flask.
"""

import base64
import hashlib
import os
import re
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import nacl.signing

from app.node import settings, tls
from app.node.clock import now_iso
from app.store import db as dbmod
from app.store import migrations
from app.store import node as node_store

LEVELS = ("community", "district", "region", "nation")
DB_NAME = "sauti.db"
ADDRESS_NAME = "database"
LOCALITY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*$")


class HomeError(Exception):
    """An operator mistake about a node home; the message says what to do."""


def default_home() -> Path:
    return Path(os.environ.get("SAUTI_HOME") or "./sauti-home")


def fingerprint(public_key_b64: str) -> str:
    """16 hex characters of SHA-256 over the raw key, in groups of four."""
    raw = base64.b64decode(public_key_b64)
    digest = hashlib.sha256(raw).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def valid_locality(code: str) -> bool:
    return bool(LOCALITY_RE.match(code or ""))


def init_home(
    path: Path,
    *,
    name: str,
    level: str,
    locality: str,
    language: str = "en",
    country: str | None = None,
    database: str | None = None,
) -> dict:
    """Create a new node home at PATH and return the node row. DATABASE: a
    postgresql:// address of an empty database to keep the store in."""
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise HomeError(f"{path} already exists and is not empty; choose a new folder with --home.")
    if level not in LEVELS:
        raise HomeError(f"level must be one of {', '.join(LEVELS)}, not {level!r}.")
    if not valid_locality(locality):
        raise HomeError(
            f"locality {locality!r} is not a code like KE/47/westlands: "
            "letters, digits, '.', '_' or '-' in segments separated by '/'."
        )
    if not name.strip():
        raise HomeError("the node needs a name: --name 'Kangemi ward'.")
    if country is not None:
        try:
            country = settings.parse("country", country)
        except settings.SettingError as exc:
            raise HomeError(f"--country {exc}.") from None
    if database is not None:
        _check_empty_database(database)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    if database is not None:
        _write_private(path / ADDRESS_NAME, (database.strip() + "\n").encode())
    signing_key = nacl.signing.SigningKey.generate()
    public_key = base64.b64encode(bytes(signing_key.verify_key)).decode()
    _write_private(path / "node.key", bytes(signing_key))
    (path / "node.pub").write_text(public_key + "\n")
    _write_private(path / "secret_key", os.urandom(32).hex().encode())
    tls.create_ca(path, node_name=name.strip())  # offline/TLS: the node-local CA (app/node/tls.py)
    db = Home(path).connect()
    try:
        migrations.upgrade(db)
        node_store.create(
            db,
            node_id=str(uuid.uuid4()),
            name=name.strip(),
            level=level,
            locality=locality,
            language=language,
            public_key=public_key,
            created_at=now_iso(),
        )
        if country:
            settings.set_value(db, "country", country)
        return node_store.get(db)
    finally:
        db.close()


def _check_empty_database(address: str) -> None:
    """Refuse an address that is not PostgreSQL's, cannot be reached, or holds tables."""
    if not dbmod.is_address(address):
        raise HomeError(
            f"--database {address!r} is not a PostgreSQL address; write "
            "postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME or postgresql:///DBNAME?host=/socket/dir."
        )
    try:
        db = dbmod.connect(address)
    except ModuleNotFoundError:
        raise HomeError("PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'.")
    except sqlite3.Error as exc:
        raise HomeError(f"cannot reach the PostgreSQL database: {exc}") from None
    try:
        if dbmod.server_version(db) < 150000:
            raise HomeError("Sauti needs PostgreSQL 15 or later on the database server.")
        if not dbmod.is_empty(db):
            raise HomeError(
                "the PostgreSQL database is not empty; give Sauti an empty database of its own "
                "(createdb sauti_nation)."
            )
    finally:
        db.close()


@dataclass
class Home:
    """An opened node home."""

    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def address(self) -> str | None:
        """The PostgreSQL address when the store is there, else None (SQLite)."""
        try:
            return (self.path / ADDRESS_NAME).read_text().strip() or None
        except FileNotFoundError:
            return None

    @property
    def target(self) -> Path | str:
        """What the store opens: the PostgreSQL address, else the SQLite file."""
        return self.address or self.db_path

    def has_database(self) -> bool:
        return (self.path / ADDRESS_NAME).exists() or self.db_path.exists()

    def connect(self, *, readonly: bool = False):
        address = self.address
        if address:
            db = dbmod.connect(address)
            db.home_folder = self.path
            return db
        return dbmod.connect(self.db_path, readonly=readonly)

    def signing_key(self) -> nacl.signing.SigningKey:
        return nacl.signing.SigningKey((self.path / "node.key").read_bytes())

    def secret_key(self) -> str:
        return (self.path / "secret_key").read_text().strip()

    @property
    def backups_dir(self) -> Path:
        return self.path / "backups"


def open_home(path: Path | None = None, *, upgrade: bool = True) -> Home:
    """Open an existing home, upgrading its schema in place if it is older."""
    path = Path(path) if path else default_home()
    try:
        settings.check_environment()
    except settings.SettingError as exc:
        raise HomeError(str(exc)) from None
    if not Home(path).has_database():
        raise HomeError(
            f"no Sauti node at {path}; create one with "
            f"'sauti init --home {path} --name NAME --level community --locality CODE'."
        )
    home = Home(path)
    try:
        db = home.connect()
    except sqlite3.Error as exc:
        raise HomeError(f"cannot open the node's database: {exc}") from None
    try:
        if upgrade:
            migrations.upgrade(db)
        elif migrations.unknown_applied(db):
            migrations.upgrade(db)  # raises NewerHomeError with the message
        if node_store.get(db) is None:
            raise HomeError(
                f"{path} holds a database but no node identity; run 'sauti init' again."
            )
    except migrations.NewerHomeError as exc:
        raise HomeError(str(exc)) from None
    finally:
        db.close()
    return home
