"""The node's log (app/node/logs.py): APScheduler's noise is gone, the jobs are
named once, and run by hand the log goes to a rotated file in the home."""

from app.node import logs
from tests.conftest import LiveServer


def test_serve_says_what_matters_once(node_home):
    server = LiveServer(node_home).start()
    server.stop()
    printed = server.output()
    assert "Adding job tentatively" not in printed and "apscheduler" not in printed
    assert printed.count("jobs: ") == 1
    for job in ("daily_backup", "weekly_snapshot", "sync_push", "sync_cleanup",
                "erase_old_contacts"):
        assert job in printed
    written = logs.log_file(node_home).read_text()
    assert "jobs: " in written and "Adding job" not in written
    assert logs.MAX_BYTES * (logs.BACKUPS + 1) <= 4 * 1024 * 1024  # bounded on the SD card


def test_under_journald_no_file_is_written(node_home, monkeypatch):
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    server = LiveServer(node_home).start()
    server.stop()
    assert "journald" in server.output()
    assert not logs.log_file(node_home).exists()
