"""Backups of a running node under write load, encrypted backups, restore."""

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest

from app.node import backup, home
from tests import engines
from tests.engines import ENGINES_ALL_LEVELS

from .conftest import ROOT, LiveServer, add_token, add_user

pytestmark = ENGINES_ALL_LEVELS

PASSPHRASE = "a long backup passphrase"


def sauti(*args, input=None):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        input=input, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def counts(where) -> dict:
    """Rows per table of a node home's store (either engine) or of a SQLite file."""
    if isinstance(where, str) or where.is_file():
        from app.store import db as dbmod

        conn = dbmod.connect(where)
    else:
        conn = home.Home(where).connect()
    try:
        if getattr(conn, "engine", "sqlite") == "postgresql":
            sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                   "current_schema() AND table_type = 'BASE TABLE'")
        else:
            sql = ("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                   "AND name NOT LIKE '%fts%' AND name NOT LIKE 'needs_words%' "
                   "AND name NOT LIKE 'needs_tri%'")
        tables = [r[0] for r in conn.execute(sql).fetchall()]
        return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    finally:
        conn.close()


def fresh_target(tmp_path, name: str, node_home):
    """Where a restore goes for NODE_HOME's engine: a new SQLite file, or the
    address of a new empty PostgreSQL database."""
    if home.Home(node_home).address:
        return engines.new_database()
    return tmp_path / name


def backup_counts(tmp_path, node_home, file, passphrase=None) -> dict:
    """What a backup file holds: restored into a fresh target, counted."""
    target = fresh_target(tmp_path, f"check-{uuid.uuid4().hex[:6]}.db", node_home)
    backup.restore(file, target, passphrase)
    return counts(target)


def post_needs(url, token, stop: threading.Event, posted: list, limit=600):
    while not stop.is_set() and len(posted) < limit:
        body = json.dumps({"uuid": str(uuid.uuid4()), "text": f"Maji {len(posted)}", "language": "sw"})
        request = urllib.request.Request(
            url + "/api/v1/needs", data=body.encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
        posted.append(1)


def restore_into(tmp_path, source_home, backup_file, name, passphrase=None):
    target = tmp_path / name
    target.mkdir()
    for key_file in ("node.key", "node.pub", "secret_key"):
        shutil.copy2(source_home / key_file, target / key_file)
    if home.Home(source_home).address:  # PostgreSQL: name an empty database for it
        (target / home.ADDRESS_NAME).write_text(engines.new_database() + "\n")
    args = ["restore", backup_file, "--home", target]
    if passphrase:
        args.append("--passphrase-stdin")
    result = sauti(*args, input=(passphrase + "\n") if passphrase else None)
    assert result.returncode == 0, result.stderr
    return target


def test_backup_while_serving_under_write_load_then_restore(tmp_path, node_home):
    add_user(node_home, "fac", "facilitator")
    token = add_token(node_home, "fac")
    server = LiveServer(node_home).start()
    stop, posted = threading.Event(), []
    writer = threading.Thread(target=post_needs, args=(server.url, token, stop, posted))
    try:
        writer.start()
        while len(posted) < 20:
            time.sleep(0.02)
        plain = sauti("backup", tmp_path / "during.db", "--home", node_home)
        sealed = sauti("backup", tmp_path / "during.sealed", "--encrypt", "--home", node_home,
                       input=PASSPHRASE + "\n")
        during = len(posted)
        stop.set()
        writer.join(timeout=30)
        assert plain.returncode == 0, plain.stderr
        assert sealed.returncode == 0, sealed.stderr
        final = sauti("backup", tmp_path / "final.db", "--home", node_home)
        assert final.returncode == 0, final.stderr
    finally:
        stop.set()
        server.stop()
    snap = backup_counts(tmp_path, node_home, tmp_path / "during.db")
    # A consistent snapshot: each need was stored together with its event.
    assert 20 <= snap["needs"] <= during + 1
    assert snap["events"] == snap["needs"]
    assert backup.is_encrypted(tmp_path / "during.sealed")
    assert b"Maji" not in (tmp_path / "during.sealed").read_bytes()

    restored = restore_into(tmp_path, node_home, tmp_path / "final.db", "r1")
    got, had = counts(restored), counts(node_home)
    # Every row came back; the restore adds one mark of its own (sync_state
    # "restores", which lets the parent take the node back once: sync/inbox).
    assert got.pop("sync_state") == had.pop("sync_state") + 1
    assert got == had
    restored_sealed = restore_into(tmp_path, node_home, tmp_path / "during.sealed", "r2", PASSPHRASE)
    assert counts(restored_sealed)["needs"] >= 20
    # The restored node serves.
    again = LiveServer(restored).start()
    try:
        request = urllib.request.Request(
            again.url + "/api/v1/needs?per_page=1", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["total"] == counts(node_home)["needs"]
    finally:
        again.stop()


def test_encrypted_backup_round_trip_and_failures(tmp_path, node_home):
    source = home.Home(node_home).target
    size = backup.backup(source, tmp_path / "b.sealed", PASSPHRASE)
    assert size > 0 and backup.is_encrypted(tmp_path / "b.sealed")
    with pytest.raises(backup.BackupError, match="passphrase is wrong"):
        backup.restore(tmp_path / "b.sealed", fresh_target(tmp_path, "x.db", node_home),
                       "not the passphrase")
    data = (tmp_path / "b.sealed").read_bytes()
    (tmp_path / "cut.sealed").write_bytes(data[: len(data) // 2])
    cut_target = fresh_target(tmp_path, "y.db", node_home)
    with pytest.raises(backup.BackupError):
        backup.restore(tmp_path / "cut.sealed", cut_target, PASSPHRASE)
    if isinstance(cut_target, str):
        assert counts(cut_target) == {}  # nothing half-restored
    else:
        assert not cut_target.exists()
    ok = fresh_target(tmp_path, "ok.db", node_home)
    backup.restore(tmp_path / "b.sealed", ok, PASSPHRASE)
    assert counts(ok) == counts(node_home)


def test_restore_refuses_to_overwrite_and_needs_key_files(tmp_path, node_home):
    target = home.Home(node_home).target
    backup.backup(target, tmp_path / "b.db")
    with pytest.raises(backup.BackupError, match="exists|not empty"):
        backup.restore(tmp_path / "b.db", target)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = sauti("restore", tmp_path / "b.db", "--home", empty)
    assert result.returncode != 0 and "node.key" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(backup.BackupError, match="not a sound SQLite|not a backup of a node on"):
        backup.restore(tmp_path / "junk.db", fresh_target(tmp_path, "z.db", node_home))


def test_a_backup_goes_back_only_to_its_own_engine(tmp_path, node_home):
    """A SQLite backup cannot be poured into PostgreSQL, nor a pg_dump into a file."""
    backup.backup(home.Home(node_home).target, tmp_path / "b.bak")
    if home.Home(node_home).address:
        with pytest.raises(backup.BackupError, match="backup of a node on PostgreSQL; restore it into a home"):
            backup.restore(tmp_path / "b.bak", tmp_path / "c.db")
        assert not (tmp_path / "c.db").exists()
    else:
        if not engines.PG_ADMIN:
            pytest.skip("no PostgreSQL server to refuse it")
        with pytest.raises(backup.BackupError, match="not a backup of a node on PostgreSQL"):
            backup.restore(tmp_path / "b.bak", engines.new_database())


def test_missing_pg_dump_is_one_clear_sentence(tmp_path, node_home, monkeypatch):
    address = home.Home(node_home).address
    if not address:
        pytest.skip("a SQLite node needs no pg_dump")
    from app.node import pg_backup

    monkeypatch.setattr(pg_backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_backup.glob, "glob", lambda pattern: [])
    with pytest.raises(backup.BackupError) as caught:
        backup.backup(address, tmp_path / "b.bak")
    message = str(caught.value)
    assert "pg_dump was not found" in message and "apt install postgresql-client" in message
    assert "password" not in message and address not in message
    assert not (tmp_path / "b.bak").exists()


def test_rotation_keeps_seven(tmp_path):
    for day in range(1, 11):
        (tmp_path / f"daily-2026-11-{day:02d}.db").write_text("x")
    removed = backup.rotate(tmp_path, keep=7)
    assert len(removed) == 3
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "daily-2026-11-04.db"


def test_scheduled_daily_backup_job(node_home):
    from app.node import home, scheduler

    node = home.open_home(node_home)
    scheduler.daily_backup(node)
    [made] = list(node.backups_dir.glob("daily-*"))
    assert made.suffix == (".pgdump" if node.address else ".db")
    assert backup_counts(node_home.parent, node_home, made) == counts(node_home)
