"""`sauti serve`: a production server that starts, answers and stops cleanly."""

import signal
import urllib.request

import pytest

from .conftest import LiveServer


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_healthz_and_stops_cleanly(node_home, sig):
    server = LiveServer(node_home).start()
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Server"] == "sauti"
        assert response.read() == b'{"status":"ok"}\n'
    assert server.stop(sig) == 0
    output = server.output()
    assert "Sauti stopped." in output and "Traceback" not in output


def test_serve_refuses_a_busy_port(node_home):
    import subprocess
    import sys

    from .conftest import ROOT

    server = LiveServer(node_home).start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "serve", "--home", str(node_home), "--port", str(server.port)],
            capture_output=True, text=True, cwd=ROOT, timeout=30,
        )
        assert result.returncode != 0
        assert "choose another --port" in result.stderr and "Traceback" not in result.stderr
    finally:
        server.stop()


def test_a_damaged_database_is_reported_at_start(tmp_path):
    from app.factory import create_app
    from app.serve import check_integrity
    from app.store import db as dbmod

    from .conftest import add_user, login, make_home

    path = make_home(tmp_path / "home")
    db = dbmod.connect(path / "sauti.db")
    db.execute("CREATE TABLE ballast(x)")
    with dbmod.write(db):
        db.conn.executemany("INSERT INTO ballast VALUES (?)", [["x" * 200]] * 2000)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    app = create_app({"HOME": path, "TESTING": True})
    assert check_integrity(app) is True
    data = bytearray((path / "sauti.db").read_bytes())
    pages = len(data) // 4096
    for page in range(pages - 20, pages - 5):  # the ballast table's last pages
        data[page * 4096 + 100 : page * 4096 + 300] = b"\xff" * 200
    (path / "sauti.db").write_bytes(bytes(data))
    assert check_integrity(app) is False
    add_user(path, "boss", "admin")
    client = app.test_client()
    login(client, "boss")
    assert "failed its integrity check" in client.get("/admin/").get_data(as_text=True)


def test_port_0_binds_a_free_port_and_says_which(node_home, tmp_path):
    """`sauti serve --port 0`: the system picks the port as the server binds it (no
    window for another process to take it), and the server prints the one it got."""
    from .conftest import make_home

    other = make_home(tmp_path / "other")
    first, second = LiveServer(node_home).start(), LiveServer(other).start()
    try:
        assert first.port != second.port and 0 not in (first.port, second.port)
        for server in (first, second):
            assert f":{server.port}" in server.output()
            with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
                assert response.status == 200
    finally:
        first.stop()
        second.stop()
