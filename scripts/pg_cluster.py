"""A throwaway PostgreSQL cluster for the tests and benchmarks.

    python scripts/pg_cluster.py start DIR   # prints the address of its 'postgres' database
    python scripts/pg_cluster.py stop DIR

`initdb` into DIR/data as an unprivileged user (as root: the 'nobody' account, which
owns DIR), listening only on a unix socket in DIR (no TCP port), trust authentication
for the superuser 'sauti'. A DIR that holds a cluster already is started again
(no initdb). Stopped with `pg_ctl stop -m fast`; DIR can then be removed.
Uses Debian's PostgreSQL (/usr/lib/postgresql/<version>/bin) or whatever is on PATH.
"""

import os
import pwd
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.node import pg_backup  # noqa: E402

SUPERUSER = "sauti"


def binary(name: str) -> str | None:
    """PostgreSQL's program NAME where Sauti's backups look for pg_dump (PATH, then
    Debian's /usr/lib/postgresql/<version>/bin, newest first), or None."""
    try:
        return pg_backup.program(name)
    except pg_backup.ToolMissing:
        return None


def _as_owner(cmd: list[str], owner: str | None) -> list[str]:
    """CMD run as OWNER when we are root (PostgreSQL refuses to run as root)."""
    if owner is None:
        return cmd
    return ["setpriv", f"--reuid={owner}", f"--regid={owner}", "--clear-groups", "--", *cmd]


def _owner() -> str | None:
    if os.geteuid() != 0:
        return None
    return str(pwd.getpwnam("nobody").pw_uid)


# For tests: nothing is written to disk durably (a test cluster is thrown away).
FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off",
        "max_connections=200", "shared_buffers=256MB")  # fmt: skip


def start(folder: Path, settings: tuple[str, ...] = FAST) -> str:
    """Start a cluster in FOLDER with the server SETTINGS (NAME=VALUE; the defaults
    are PostgreSQL's own, durability included, for what is not named)."""
    initdb, pg_ctl = binary("initdb"), binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise SystemExit("PostgreSQL's initdb/pg_ctl were not found (Debian: apt install postgresql)")
    folder.mkdir(parents=True, exist_ok=True)
    owner = _owner()
    if owner is not None:
        os.chown(folder, int(owner), int(owner))
    data = folder / "data"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    if not (data / "PG_VERSION").exists():  # else: start the cluster made earlier
        subprocess.run(
            _as_owner(
                [initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync"],
                owner,
            ),
            check=True, stdout=subprocess.DEVNULL, env=env,
        )
    options = f"-c listen_addresses='' -c unix_socket_directories='{folder}'" + "".join(
        f" -c {setting}" for setting in settings
    )
    subprocess.run(
        _as_owner(
            [pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"],
            owner,
        ),
        check=True, stdout=subprocess.DEVNULL, env=env,
    )
    return f"postgresql://{SUPERUSER}@/postgres?host={folder}"


def stop(folder: Path) -> None:
    pg_ctl = binary("pg_ctl")
    data = folder / "data"
    if pg_ctl and (data / "postmaster.pid").exists():
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], _owner()),
            check=False, stdout=subprocess.DEVNULL,
        )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        raise SystemExit(__doc__)
    where = Path(sys.argv[2]).resolve()
    if sys.argv[1] == "start":
        print(start(where))
    else:
        stop(where)
