"""Consistent copies of a running node's database, optionally encrypted.

A backup is SQLite's online backup of the whole database into one file,
taken in a single step so it is a consistent snapshot while writers go on
(WAL mode). `--encrypt` seals it with a key derived from a passphrase
(Argon2id) in 1 MiB chunks (XSalsa20-Poly1305, PyNaCl SecretBox); the last
chunk is marked so a cut-off file is detected.

On a node whose store is on PostgreSQL the plain copy is pg_dump's custom
format instead (app.node.pg_backup), encrypted the same way when asked.

The key files (node.key, secret_key) are not in the database: keep one safe
copy of them from the day the node is created; they never change.
"""

import os
import sqlite3
import struct
import tempfile
from pathlib import Path

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils

from app.node import faults
from app.store import db as dbmod

MAGIC = b"SAUTI-BACKUP-1\n"
CHUNK = 1 << 20
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE  # 64 MiB: fine on a 512 MB board


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _key(passphrase: str, salt: bytes) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=OPSLIMIT,
        memlimit=MEMLIMIT,
    )


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(23, "big") + (b"\x01" if final else b"\x00")


def _fsync_replace(tmp: Path, dest: Path) -> None:
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, dest)


def snapshot(db_path: Path | str, dest: Path) -> None:
    """Copy the live database at DB_PATH into the plain SQLite file DEST (or, for
    a postgresql:// address, pg_dump's custom format)."""
    if dbmod.is_address(db_path):
        from app.node import pg_backup

        try:
            pg_backup.dump(db_path, dest)
        except (pg_backup.ToolMissing, RuntimeError) as exc:
            raise BackupError(f"pg_dump could not write the backup: {exc}") from None
        return
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        out = sqlite3.connect(dest)
        try:
            src.backup(out)  # pages=-1: one step, one consistent snapshot
        finally:
            out.close()
    finally:
        src.close()


def encrypt_file(plain: Path, dest: Path, passphrase: str) -> None:
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_key(passphrase, salt))
    size = plain.stat().st_size
    with open(plain, "rb") as src, open(dest, "wb") as out:
        out.write(MAGIC + salt)
        index, done = 0, 0
        while True:
            chunk = src.read(CHUNK)
            done += len(chunk)
            final = done >= size
            sealed = box.encrypt(chunk, _nonce(index, final)).ciphertext
            out.write(struct.pack(">I", len(sealed)) + sealed)
            index += 1
            if final:
                break


def decrypt_file(sealed: Path, dest: Path, passphrase: str) -> None:
    with open(sealed, "rb") as src, open(dest, "wb") as out:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{sealed} is not an encrypted Sauti backup.")
        box = nacl.secret.SecretBox(_key(passphrase, src.read(nacl.pwhash.argon2id.SALTBYTES)))
        index = 0
        while True:
            head = src.read(4)
            if len(head) < 4:
                raise BackupError(f"{sealed} is cut short; use another copy of the backup.")
            data = src.read(struct.unpack(">I", head)[0])
            for final in (False, True):
                try:
                    out.write(box.decrypt(data, _nonce(index, final)))
                    break
                except nacl.exceptions.CryptoError:
                    if final:
                        raise BackupError(
                            "the passphrase is wrong or the backup file is damaged."
                        ) from None
            index += 1
            if final:
                return


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


TMP_PREFIX = ".sauti-backup-"
STALE_SECONDS = 3600


def _remove_stale(folder: Path) -> None:
    """Half-written backups left by a power cut (older than an hour, so never one
    that another backup is writing now)."""
    import shutil
    import time

    for tmp in folder.glob(TMP_PREFIX + "*"):
        try:
            if tmp.is_dir() and time.time() - tmp.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass


def backup(db_path: Path | str, dest: Path, passphrase: str | None = None) -> int:
    """Write a backup of DB_PATH (a SQLite file or a postgresql:// address) to DEST
    (atomically); returns its size in bytes."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(dest.parent)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=TMP_PREFIX) as tmpdir:
        plain = Path(tmpdir) / "plain.db"
        snapshot(db_path, plain)
        result = Path(tmpdir) / "result"
        if passphrase:
            encrypt_file(plain, result, passphrase)
        else:
            os.replace(plain, result)
        faults.point("backup.copy")
        _fsync_replace(result, dest)
    return dest.stat().st_size


def restore(source: Path, db_path: Path | str, passphrase: str | None = None) -> None:
    """Write the database from backup SOURCE to DB_PATH (must not exist), or into
    the empty PostgreSQL database at a postgresql:// address."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}.")
    if dbmod.is_address(db_path):
        _restore_postgres(source, db_path, passphrase)
        return
    db_path = Path(db_path)
    if db_path.exists():
        raise BackupError(
            f"{db_path} exists; stop the node and move it aside before restoring over it."
        )
    with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=".sauti-restore-") as tmpdir:
        plain = _plain(source, Path(tmpdir) / "restored.db", passphrase, copy=True)
        if plain.read_bytes()[:5] == b"PGDMP":
            raise BackupError(
                f"{source} is a backup of a node on PostgreSQL; restore it into a home whose "
                "'database' file names an empty PostgreSQL database."
            )
        check = sqlite3.connect(plain)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            ok = False
        finally:
            check.close()
        if not ok:
            raise BackupError(f"{source} is not a sound SQLite database; use another backup.")
        _fsync_replace(plain, db_path)


def _plain(source: Path, dest: Path, passphrase: str | None, *, copy: bool) -> Path:
    """The plain bytes of backup SOURCE: decrypted into DEST, or SOURCE itself (copied
    to DEST when COPY)."""
    if is_encrypted(source):
        if not passphrase:
            raise BackupError("this backup is encrypted; give its passphrase on standard input.")
        decrypt_file(source, dest, passphrase)
        return dest
    if copy:
        dest.write_bytes(source.read_bytes())
        return dest
    return source


def _restore_postgres(source: Path, address: str, passphrase: str | None) -> None:
    from app.node import pg_backup

    try:
        db = dbmod.connect(address)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot reach the node's PostgreSQL database: {exc}") from None
    try:
        empty = dbmod.is_empty(db)
    finally:
        db.close()
    if not empty:
        raise BackupError(
            "the node's PostgreSQL database is not empty; restore into a new empty database "
            "(createdb) and name it in the home's 'database' file."
        )
    with tempfile.TemporaryDirectory(prefix=".sauti-restore-") as tmpdir:
        plain = _plain(source, Path(tmpdir) / "restored.pgdump", passphrase, copy=False)
        if not pg_backup.is_dump(plain):
            raise BackupError(
                f"{source} is not a backup of a node on PostgreSQL (pg_dump's custom format); "
                "a SQLite node's backup goes into a home without a 'database' file."
            )
        try:
            pg_backup.restore(plain, address)
        except (pg_backup.ToolMissing, RuntimeError) as exc:
            raise BackupError(f"pg_restore could not restore the backup: {exc}") from None


def rotate(folder: Path, keep: int = 7) -> list[Path]:
    """Delete all but the newest KEEP daily backups in FOLDER; return the deleted."""
    files = sorted([*folder.glob("daily-*.db"), *folder.glob("daily-*.pgdump")])
    old = files[:-keep] if keep else files
    for path in old:
        path.unlink()
    return old
