"""Audio notes: one per need, personal data that never leaves the node.

The bytes are files in the `audio/` folder beside the node database (found
from the connection itself, so every caller needs only the db handle); the
`audio_notes` table maps a need's uuid to its file. Keeping the bytes out of
the database keeps them out of every backup (`sauti backup` copies the
database only), bundle, export and open-data file by construction.

A note is keyed by the need's uuid, so the capture form can keep a recording
while the rest of the form is being corrected; a note whose need never came
is erased by the retention job after ORPHAN_HOURS.

Erasing wipes the file (zeros written and flushed) before unlinking it.
`erase_for_need(db, need_id)` is the one call for removing a need.
"""

import datetime as dt
import json
import os
import secrets
from pathlib import Path

from app.node import clock

from .db import all_rows, one, write

FOLDER = "audio"
ORPHAN_HOURS = 24
_PARTIAL = ".part"


def folder(db) -> Path:
    """The audio folder of the database DB's home (created when missing, owner-only)."""
    home_folder = getattr(db, "home_folder", None)  # PostgreSQL: set by Home.connect()
    if home_folder is None:
        rows = db.execute("PRAGMA database_list").fetchall()
        home_folder = Path(next(row[2] for row in rows if row[1] == "main")).parent
    path = Path(home_folder) / FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def new_upload(db) -> Path:
    """A fresh path in the audio folder to write an upload to (then `put` it)."""
    return folder(db) / (secrets.token_hex(16) + _PARTIAL)


def _wipe(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
        path.unlink()
    except FileNotFoundError:
        pass


def discard(path: Path) -> None:
    """Wipe an upload that was not stored."""
    _wipe(Path(path))


def put(db, uuid: str, upload: Path, content_type: str, *, user_id=None) -> None:
    """Store the finished file UPLOAD (from new_upload) as the audio note of
    UUID, replacing an older note (whose first stored_at is kept, so replacing
    never extends the retention)."""
    upload = Path(upload)
    size = upload.stat().st_size
    with open(upload, "rb") as f:
        os.fsync(f.fileno())
    name = secrets.token_hex(16)
    final = upload.with_name(name)
    os.replace(upload, final)
    old = None
    try:
        with write(db):
            old = one(db, "SELECT file FROM audio_notes WHERE uuid = ?", [uuid])
            db.execute(
                "INSERT INTO audio_notes(uuid, file, content_type, size, stored_at, stored_by)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(uuid) DO UPDATE SET"
                " file = excluded.file, content_type = excluded.content_type,"
                " size = excluded.size, stored_by = excluded.stored_by",
                [uuid, name, content_type, size, clock.now_iso(), user_id],
            )
    except BaseException:
        _wipe(final)
        raise
    if old is not None:
        _wipe(final.with_name(old["file"]))


def get(db, uuid: str) -> dict | None:
    """{"path", "content_type", "size", "stored_at"} of UUID's note, or None
    (also when its file is gone)."""
    row = one(db, "SELECT * FROM audio_notes WHERE uuid = ?", [uuid])
    if row is None:
        return None
    row["path"] = folder(db) / row["file"]
    return row if row["path"].is_file() else None


def uuids_with_audio(db, uuids: list[str]) -> set[str]:
    """Which of UUIDS have an audio note."""
    if not uuids:
        return set()
    rows = all_rows(
        db,
        "SELECT uuid FROM audio_notes WHERE uuid IN (SELECT value FROM json_each(?))",
        [json.dumps(list(uuids))],
    )
    return {r["uuid"] for r in rows}


def erase(db, uuid: str) -> bool:
    """Erase UUID's audio note (row and file); True when there was one. Safe
    inside the caller's transaction: the file is wiped at once (erasing early
    is the safe side even if that transaction is later rolled back)."""
    with write(db):
        row = one(db, "SELECT file FROM audio_notes WHERE uuid = ?", [uuid])
        if row is None:
            return False
        db.execute("DELETE FROM audio_notes WHERE uuid = ?", [uuid])
    _wipe(folder(db) / row["file"])
    return True


def erase_for_need(db, need_id: int) -> bool:
    """Erase the audio note of the need with id NEED_ID (the call for removing
    or erasing a need); True when there was one."""
    row = one(db, "SELECT uuid FROM needs WHERE id = ?", [need_id])
    return row is not None and erase(db, row["uuid"])


def erase_before(db, cutoff: str, *, now: dt.datetime | None = None) -> int:
    """The retention job: erase every note stored before CUTOFF (ISO time,
    UTC), every note of a removed need, every note whose need never came within
    ORPHAN_HOURS, and leftover files no row names (an upload cut off by a
    crash). Returns how many notes were erased."""
    now = now or clock.now()
    orphan_cutoff = (now - dt.timedelta(hours=ORPHAN_HOURS)).isoformat(timespec="seconds")
    rows = all_rows(
        db,
        "SELECT a.uuid FROM audio_notes a LEFT JOIN needs n ON n.uuid = a.uuid"
        " WHERE a.stored_at < ? OR n.removed IS NOT NULL"
        " OR (n.id IS NULL AND a.stored_at < ?)",
        [cutoff, orphan_cutoff],
    )
    erased = sum(1 for r in rows if erase(db, r["uuid"]))
    known = {r["file"] for r in all_rows(db, "SELECT file FROM audio_notes")}
    stale = (now - dt.timedelta(hours=1)).timestamp()
    for path in folder(db).iterdir():
        if path.name not in known and path.is_file() and path.stat().st_mtime < stale:
            _wipe(path)
    return erased
