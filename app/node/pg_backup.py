"""Backups of a node whose store is on PostgreSQL: pg_dump / pg_restore.

`sauti backup` writes pg_dump's custom format (compressed, one consistent
snapshot taken in one transaction while the node keeps running), encrypted
afterwards like a SQLite backup when asked; `sauti restore` puts one back with
pg_restore into the node's database, which must be empty, in one transaction
(all or nothing). The programs come from PATH, else from Debian's
/usr/lib/postgresql/<version>/bin (newest first); when none is found the error
says what to install. A password in the address goes to them in the
environment (PGPASSWORD), never on a command line or in a message.
"""

import glob
import os
import shutil
import subprocess
from pathlib import Path

MAGIC = b"PGDMP"  # the first bytes of pg_dump's custom format


class ToolMissing(Exception):
    """pg_dump or pg_restore is not installed here."""


def program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    debian = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major, reverse=True)
    if debian:
        return debian[0]
    raise ToolMissing(
        f"{name} was not found: install PostgreSQL's client programs, as new as the server "
        f"(Debian: apt install postgresql-client), or put {name} on PATH."
    )


def _major(path: str) -> int:
    try:
        return int(Path(path).parts[-3])
    except ValueError:
        return 0


def _split(address: str) -> tuple[str, dict]:
    """ADDRESS as a connection string without its password, and the environment
    that carries the password (so it never shows in `ps`)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(address)
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    password = params.pop("password", None)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**params), env


def _run(cmd: list[str], address: str) -> None:
    conninfo, env = _split(address)
    cmd = [c.replace("{conninfo}", conninfo) for c in cmd]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        raise RuntimeError(lines[-1] if lines else f"{Path(cmd[0]).name} failed")


def dump(address: str, dest: Path) -> None:
    """pg_dump's custom format of the node's database into DEST."""
    _run([program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={dest}", "--dbname={conninfo}"], address)  # fmt: skip


def is_dump(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def restore(plain: Path, address: str) -> None:
    """Load dump PLAIN into the (empty) database at ADDRESS, all or nothing."""
    _run([program("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--dbname={conninfo}", str(plain)], address)  # fmt: skip
