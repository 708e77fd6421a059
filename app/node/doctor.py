"""`sauti doctor` and the admin page's checks: one function, two views.

Each check gives a level and one sentence that says what is wrong and what to
do. `ACT` means a person must do something (the command exits non-zero); `NOTE`
is worth knowing but normal on an offline node (a parent out of reach today).

Messages are English templates marked with N_ so the catalogs carry them; the
CLI prints them as they are, the admin page translates them (`gettext(message)
% params`). No Flask here.
"""

import datetime as dt
import os
import shutil
import socket
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from app.node import clock
from app.node.home import Home
from app.store import health, sync_alerts, sync_state

OK, NOTE, ACT = "ok", "note", "act"

DISK_ACT_BYTES = 100 * 1024 * 1024
DISK_NOTE_BYTES = 500 * 1024 * 1024
CLOCK_AHEAD = dt.timedelta(minutes=5)  # a record written later than "now": the clock went back
CLOCK_FLOOR = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # older than this software: a Pi without RTC
CLOCK_CEILING_YEARS = 2  # "now" this far past the newest record and the floor: a far-future clock
BACKUP_AGE = dt.timedelta(days=2)
PENDING_AGE = dt.timedelta(days=7)
PARENT_TIMEOUT = 3.0
PRIVATE_FILES = ("node.key", "secret_key", "tls/ca.key", "tls/server.key")


def N_(message: str) -> str:  # noqa: N802 - gettext's marker for "translate later"
    return message


@dataclass
class Check:
    name: str
    level: str
    message: str
    params: dict = field(default_factory=dict)

    def text(self, translate=None) -> str:
        return (translate or (lambda m: m))(self.message) % self.params


def run(home: Home, db, *, now: dt.datetime | None = None, integrity: bool | None = None,
        reach_parent: bool = True, parent_timeout: float = PARENT_TIMEOUT) -> list[Check]:
    """Every check, in order. INTEGRITY: a result already known (the admin page
    uses the check made at start); None runs SQLite's full integrity_check."""
    now = now or clock.now()
    steps = [
        ("database", lambda: check_integrity(db, integrity)),
        ("disk", lambda: check_disk(home)),
        ("clock", lambda: check_clock(db, now)),
        ("keys", lambda: check_keys(home)),
        ("backup", lambda: check_backup(home, now)),
        ("sync", lambda: check_sync(db, now, reach_parent, parent_timeout)),
        ("alerts", lambda: check_alerts(db)),
    ]
    found = []
    for name, step in steps:
        try:
            found.append(step())
        except (sqlite3.DatabaseError, OSError) as exc:  # a damaged home: say so, go on
            found.append(Check(name, ACT, N_(
                "This check could not run (%(error)s): run sauti doctor again, and restore the "
                "newest backup if it stays."), {"error": str(exc)[:200]}))
    return found


def needs_a_person(checks: list[Check]) -> bool:
    return any(c.level == ACT for c in checks)


def check_integrity(db, known: bool | None) -> Check:
    if known is None:
        try:
            known = not health.integrity_problems(db)
        except sqlite3.DatabaseError:
            known = False
    if known and getattr(db, "engine", "sqlite") == "postgresql":
        return Check("database", OK, N_(
            "The PostgreSQL database answers; its server checks its own pages."))
    if known:
        return Check("database", OK, N_("The database passed SQLite's integrity check."))
    return Check("database", ACT, N_(
        "The database failed SQLite's integrity check: stop the node and restore the newest "
        "backup (sauti restore)."))


def check_disk(home: Home) -> Check:
    free = shutil.disk_usage(home.path).free
    params = {"free": free // (1024 * 1024)}
    if free < DISK_ACT_BYTES:
        return Check("disk", ACT, N_(
            "Only %(free)s MB free: new needs will be refused soon; delete old files or move "
            "the home to a larger card."), params)
    if free < DISK_NOTE_BYTES:
        return Check("disk", NOTE, N_(
            "%(free)s MB free: plan to free space or use a larger card."), params)
    return Check("disk", OK, N_("%(free)s MB free on the node's disk."), params)


def _parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def check_clock(db, now: dt.datetime) -> Check:
    newest = _parse(health.newest_record_time(db))
    params = {"now": now.strftime("%Y-%m-%d %H:%M"), "newest": newest and newest.strftime(
        "%Y-%m-%d %H:%M")}
    if now < CLOCK_FLOOR:
        return Check("clock", ACT, N_(
            "The clock says %(now)s UTC, before this version of Sauti was made: set the time "
            "(timedatectl set-time, or connect to a network with NTP)."), params)
    if newest and now < newest - CLOCK_AHEAD:
        return Check("clock", ACT, N_(
            "The clock says %(now)s UTC, before this node's newest record (%(newest)s): set "
            "the time (timedatectl set-time, or connect to a network with NTP)."), params)
    ceiling = max(newest or CLOCK_FLOOR, CLOCK_FLOOR).replace(
        year=max(newest or CLOCK_FLOOR, CLOCK_FLOOR).year + CLOCK_CEILING_YEARS)
    if now > ceiling:
        return Check("clock", ACT, N_(
            "The clock says %(now)s UTC, years after this node's newest record: check the "
            "date (timedatectl) before more records get wrong times."), params)
    return Check("clock", OK, N_("The clock says %(now)s UTC, which looks right."), params)


def check_keys(home: Home) -> Check:
    loose = []
    for name in PRIVATE_FILES:
        path = home.path / name
        try:
            info = path.stat()
        except FileNotFoundError:
            if name == "node.key" or name == "secret_key":
                return Check("keys", ACT, N_(
                    "%(file)s is missing: restore the home folder from a backup copy."),
                    {"file": str(path)})
            continue
        if info.st_mode & 0o077 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            loose.append(str(path))
    if loose:
        return Check("keys", ACT, N_(
            "Others may read the node's private keys: run chmod 600 %(files)s (as the node's "
            "user)."), {"files": " ".join(loose)})
    return Check("keys", OK, N_("Private keys are readable by the node's user only."))


def _newest_backup(folder: Path) -> float | None:
    try:
        times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()]
    except OSError:
        return None
    return max(times) if times else None


def check_backup(home: Home, now: dt.datetime) -> Check:
    newest = _newest_backup(home.backups_dir)
    if newest is None:
        return Check("backup", NOTE, N_(
            "No daily backup yet: keep the node serving past 02:30 UTC, or run sauti backup FILE "
            "now."))
    age = now - dt.datetime.fromtimestamp(newest, dt.UTC)
    params = {"days": max(0, age.days)}
    if age > BACKUP_AGE:
        return Check("backup", ACT, N_(
            "The newest daily backup is %(days)s days old: check the log (journalctl -u sauti) "
            "and the free disk space."), params)
    return Check("backup", OK, N_("A daily backup was made in the last two days."), params)


def parent_reachable(url: str, timeout: float = PARENT_TIMEOUT) -> bool:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def check_sync(db, now: dt.datetime, reach_parent: bool = True,
               timeout: float = PARENT_TIMEOUT) -> Check:
    state = sync_state.summary(db)
    parent = state["parent"]
    if parent is None:
        return Check("sync", OK, N_("No parent is set: this node keeps its records (sauti parent "
                                    "set URL --key KEY to send them up)."))
    oldest = _parse(health.oldest_pending_time(db, state["acked_seq"]))
    age_days = (now - oldest).days if oldest and state["pending"] else 0
    params = {"pending": state["pending"], "days": max(0, age_days), "url": parent["url"],
              "error": state["last_error"] or "-"}
    reachable = parent_reachable(parent["url"], timeout) if reach_parent else None
    if state["pending"] and oldest and now - oldest > PENDING_AGE:
        return Check("sync", ACT, N_(
            "%(pending)s records wait to sync, the oldest for %(days)s days (last error: "
            "%(error)s): bring the parent %(url)s within reach, or carry a file with sauti sync "
            "export FILE."), params)
    if reachable is False:
        return Check("sync", NOTE, N_(
            "%(pending)s records wait to sync; the parent %(url)s cannot be reached now (normal "
            "when offline; they go with the next link)."), params)
    return Check("sync", OK, N_(
        "%(pending)s records wait to sync, the oldest for %(days)s days; the parent is %(url)s."),
        params)


def open_alerts(db) -> list[dict]:
    """Open alerts (identity conflicts, refused bundles, held-back records): the
    stored list (app.store.sync_alerts) that stays until an admin clears it."""
    return sync_alerts.all_alerts(db)


def check_alerts(db) -> Check:
    found = open_alerts(db)
    if found:
        first = found[0]
        return Check("alerts", ACT, N_(
            "%(count)s open alerts, the first: %(message)s. Read them on the admin page and clear "
            "each once handled."), {"count": len(found), "message": first.get("message", "")})
    return Check("alerts", OK, N_("No open alerts."))
