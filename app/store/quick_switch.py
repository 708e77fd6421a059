"""Queries of the shared-tablet quick switch: who signed in with a password on
which device today, their PIN hashes, and the device's wrong-PIN count.

A device is known only by the sha256 of its random device cookie. A PIN is
usable only on the day (UTC) of its user's last password sign-in on that
device; a password sign-in on a later day forgets the old PIN.
"""

from app.node import clock

from .db import all_rows, one, write

MAX_FAILURES = 5


def today() -> str:
    return clock.now().date().isoformat()


def password_signin(db, device: str, user_id: int) -> None:
    """A password sign-in on DEVICE: the user may set a PIN here today, and the
    device's quick switch opens again (its wrong-PIN count back to 0)."""
    day = today()
    with write(db):
        db.execute(
            "INSERT INTO device_signins(device, user_id, day) VALUES (?, ?, ?) "
            "ON CONFLICT(device, user_id) DO UPDATE SET "
            "pin_hash = CASE WHEN device_signins.day = excluded.day THEN device_signins.pin_hash END, "
            "day = excluded.day",
            [device, user_id, day],
        )
        db.execute("DELETE FROM device_locks WHERE device = ?", [device])
        db.execute("DELETE FROM device_signins WHERE day < ?", [day])


def signed_in_today(db, device: str, user_id: int) -> dict | None:
    return one(
        db,
        "SELECT * FROM device_signins WHERE device = ? AND user_id = ? AND day = ?",
        [device, user_id, today()],
    )


def set_pin(db, device: str, user_id: int, pin_hash: str) -> bool:
    """Store the PIN hash; False when the user has not signed in here today."""
    with write(db):
        cur = db.execute(
            "UPDATE device_signins SET pin_hash = ? WHERE device = ? AND user_id = ? AND day = ?",
            [pin_hash, device, user_id, today()],
        )
    return cur.rowcount == 1


def forget_pin(db, device: str, user_id: int) -> None:
    with write(db):
        db.execute(
            "UPDATE device_signins SET pin_hash = NULL WHERE device = ? AND user_id = ?",
            [device, user_id],
        )


def switchable(db, device: str) -> list[dict]:
    """Users who may come back on DEVICE with their PIN today (not disabled)."""
    return all_rows(
        db,
        "SELECT u.id, u.username, u.role, s.pin_hash FROM device_signins s "
        "JOIN users u ON u.id = s.user_id "
        "WHERE s.device = ? AND s.day = ? AND s.pin_hash IS NOT NULL AND u.disabled = 0 "
        "ORDER BY u.username",
        [device, today()],
    )


def closed(db, device: str) -> bool:
    row = one(db, "SELECT closed_at FROM device_locks WHERE device = ?", [device])
    return bool(row and row["closed_at"])


def record_failure(db, device: str) -> int:
    """One more wrong PIN on DEVICE; closes its quick switch at MAX_FAILURES.
    Returns the count."""
    with write(db):
        db.execute(
            "INSERT INTO device_locks(device, failures) VALUES (?, 1) "
            "ON CONFLICT(device) DO UPDATE SET failures = device_locks.failures + 1",
            [device],
        )
        row = one(db, "SELECT failures FROM device_locks WHERE device = ?", [device])
        if row["failures"] >= MAX_FAILURES:
            db.execute(
                "UPDATE device_locks SET closed_at = coalesce(closed_at, ?) WHERE device = ?",
                [clock.now_iso(), device],
            )
    return row["failures"]


def clear_failures(db, device: str) -> None:
    with write(db):
        db.execute("UPDATE device_locks SET failures = 0 WHERE device = ? AND closed_at IS NULL",
                   [device])
