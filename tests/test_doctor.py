"""`sauti doctor` and the admin page's checks (app/node/doctor.py): one line per
check with what to do, exit 1 when a person must act."""

import datetime as dt
import os
import sqlite3

import pytest
from click.testing import CliRunner

from app.cli import main
from app.node import doctor, home
from tests.sync_helpers import Capturer, enrol, node

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def run_doctor(path, *extra):
    return CliRunner().invoke(main, ["doctor", "--home", str(path), "--offline", *extra])


def checks(path, **kwargs) -> dict:
    node_home = home.open_home(path)
    db = node_home.connect()
    try:
        return {c.name: c for c in doctor.run(node_home, db, **kwargs)}
    finally:
        db.close()


def test_a_fresh_node_is_fine_and_says_so_line_by_line(node_home):
    result = run_doctor(node_home)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[1] for line in lines] == [
        "database", "disk", "clock", "keys", "backup", "sync", "alerts"]
    assert lines[4].startswith("note") and "sauti backup" in lines[4]
    assert all(line.split()[0] in ("ok", "note") for line in lines)


def test_loose_key_permissions_need_a_person(node_home):
    os.chmod(node_home / "node.key", 0o644)
    result = run_doctor(node_home)
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if " keys " in x)
    assert line.startswith("ACT") and f"chmod 600 {node_home / 'node.key'}" in line


@pytest.mark.parametrize("now, level, words", [
    (NOW, "ok", "looks right"),
    (dt.datetime(2026, 12, 1, tzinfo=dt.UTC), "act", "before this node's newest record"),
    (dt.datetime(2031, 1, 1, tzinfo=dt.UTC), "act", "years after"),
    (dt.datetime(1970, 1, 1, 0, 1, tzinfo=dt.UTC), "act", "before this version of Sauti"),
])
def test_clock_sanity(node_home, now, level, words):
    Capturer(node_home).need()
    db = home.open_home(node_home).connect()
    db.execute("UPDATE needs SET received_at = '2026-12-02T10:00:00+00:00'")
    db.execute("UPDATE events SET created_at = '2026-12-02T10:00:00+00:00'")
    db.close()
    found = checks(node_home, now=now, reach_parent=False)["clock"]
    assert found.level == level and words in found.text()


def test_backup_age(node_home):
    backups = node_home / "backups"
    backups.mkdir()
    old = backups / "daily-2026-11-20.db"
    old.write_bytes(b"x")
    stamp = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC).timestamp()
    os.utime(old, (stamp, stamp))
    found = checks(node_home, now=NOW, reach_parent=False)["backup"]
    assert found.level == "act" and "13 days old" in found.text()
    assert checks(node_home, now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
                  reach_parent=False)["backup"].level == "ok"


def test_sync_state_pending_age_and_parent_reach(tmp_path):
    parent = node(tmp_path / "parent", "Westlands", "district", "KE/47/westlands")
    child = node(tmp_path / "child", "Kangemi", "community", "KE/47/westlands/kangemi")
    enrol(parent, child, "Kangemi", "http://127.0.0.1:9")  # nothing listens on port 9
    Capturer(child).need()
    soon = checks(child, reach_parent=True)["sync"]
    assert soon.level == "note" and "cannot be reached" in soon.text()
    assert soon.text().startswith("1 records wait")
    later = checks(child, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=9), reach_parent=False)
    assert later["sync"].level == "act" and "oldest for 9 days" in later["sync"].text()
    assert "sauti sync export" in later["sync"].text()


def test_open_alerts_need_a_person_until_cleared(node_home):
    from app.store import sync_alerts

    assert checks(node_home, reach_parent=False)["alerts"].level == "ok"
    db = home.open_home(node_home).connect()
    sync_alerts.add(db, "identity_conflict", "refused what Kangemi sent: identity conflict", "Kangemi")
    db.close()
    found = checks(node_home, reach_parent=False)["alerts"]
    assert found.level == "act" and "identity conflict" in found.text()
    db = home.open_home(node_home).connect()
    sync_alerts.clear(db)
    db.close()
    assert checks(node_home, reach_parent=False)["alerts"].level == "ok"


def test_a_damaged_database_is_reported_not_a_traceback(node_home):
    path = node_home / home.DB_NAME
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for i in range(2 * page, min(len(data), 6 * page)):  # scribble over some table pages
        data[i] = 0x5A
    path.write_bytes(bytes(data))
    node_home_obj = home.Home(node_home)
    db = node_home_obj.connect()
    try:
        found = {c.name: c for c in doctor.run(node_home_obj, db, reach_parent=False)}
    finally:
        db.close()
    assert found["database"].level == "act"
    assert "restore" in found["database"].text()


def test_admin_page_shows_the_same_checks(node_home, signed_in):
    os.chmod(node_home / "secret_key", 0o640)
    page = signed_in("admin").get("/admin/").get_data(as_text=True)
    assert 'id="checks"' in page
    assert "Others may read the node&#39;s private keys" in page
    assert "chmod 600" in page and "Needs a person" in page
