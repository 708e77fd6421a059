"""Power cuts at defined moments (issue 12): `sauti serve` is killed with SIGKILL
inside a capture, a triage decision, a backup, a received push and the weekly
snapshot (SAUTI_HALT_AT, app/node/faults.py: the process kills itself at that
point, before the write commits, so the cut lands in the same place every run).
After a restart the database passes PRAGMA integrity_check, nothing acknowledged
is lost, and sync continues exactly: the parent ends up with each record once."""

import http.client
import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.conftest import PASSWORD, ROOT, LiveServer, add_token, add_user
from tests.sync_helpers import Capturer, cli, enrol, node, query, sauti

pytestmark = pytest.mark.slow

CUT = -9  # the return code of a process stopped by SIGKILL


@pytest.fixture
def family(tmp_path):
    parent = node(tmp_path / "parent", "Westlands", "district", "KE/47/westlands",
                  open_data="on")
    child = node(tmp_path / "child", "Kangemi", "community", "KE/47/westlands/kangemi",
                 share_text="scrubbed")
    parent_server = LiveServer(parent).start()
    enrol(parent, child, "Kangemi", parent_server.url)
    yield {"parent": parent, "child": child, "parent_server": parent_server}
    parent_server.stop()


def cut_at(monkeypatch, point: str, run_now: str = "") -> None:
    monkeypatch.setenv("SAUTI_HALT_AT", point)
    if run_now:
        monkeypatch.setenv("SAUTI_RUN_NOW", run_now)
    else:
        monkeypatch.delenv("SAUTI_RUN_NOW", raising=False)


def no_cut(monkeypatch) -> None:
    monkeypatch.delenv("SAUTI_HALT_AT", raising=False)
    monkeypatch.delenv("SAUTI_RUN_NOW", raising=False)


def wait_for_cut(proc) -> int:
    """The server's exit status once it cut itself (bounded: 60 s)."""
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the server never reached its cut point") from None


def serve_jobs(home, log):
    """`sauti serve` for a job at start (SAUTI_RUN_NOW); it may be cut before it
    answers, so it is watched as a plain process."""
    import os

    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--home", str(home), "--port", "0"],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=dict(os.environ),
        )


def plain_query(path, sql):
    """A query on a home, or on a plain SQLite file (a backup)."""
    if path.is_dir():
        return query(path, sql)
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def integrity(path) -> str:
    return plain_query(path, "PRAGMA integrity_check")[0][0]


def uuids(path) -> set[str]:
    return {r[0] for r in plain_query(path, "SELECT uuid FROM needs")}


def post_need(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        url + "/api/v1/needs", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.status


def new_need(text: str) -> dict:
    return {"uuid": str(uuid.uuid4()), "text": text, "language": "sw", "category": "water",
            "captured_at": "2026-03-04T09:30:00+03:00"}


def cut_request(call) -> None:
    """The request that reaches the cut point gets no answer (never acknowledged)."""
    with pytest.raises((urllib.error.URLError, http.client.HTTPException, ConnectionError)):
        call()


def push_exactly(child, parent) -> None:
    """Sync continues exactly: one push delivers everything, each record once."""
    pushed = sauti("sync", "push", "--home", child)
    assert pushed.returncode == 0, pushed.stderr
    assert json.loads(cli("node", "show", "--json", "--home", child).output)["pending"] == 0
    own = query(child, "SELECT count(*), coalesce(sum(supporters), 0) FROM needs")[0]
    held = query(parent, "SELECT count(*), coalesce(sum(supporters), 0) FROM shared_needs")[0]
    assert held == own
    statuses = sorted(r[0] for r in query(child, "SELECT status FROM needs"))
    assert sorted(r[0] for r in query(parent, "SELECT status FROM shared_needs")) == statuses


def test_cut_during_capture(family, monkeypatch):
    child = family["child"]
    add_user(child, "fa", "facilitator")
    token = add_token(child, "fa")
    cut_at(monkeypatch, "need.insert:3")
    server = LiveServer(child).start()
    first, second, third = (new_need(f"Kisima namba {i} kimeharibika.") for i in range(3))
    assert post_need(server.url, token, first) == 201
    assert post_need(server.url, token, second) == 201
    cut_request(lambda: post_need(server.url, token, third))
    assert wait_for_cut(server.proc) == CUT

    no_cut(monkeypatch)
    server.start()
    try:
        assert integrity(child) == "ok"
        assert uuids(child) == {first["uuid"], second["uuid"]}  # the cut one was never stored
        assert post_need(server.url, token, third) == 201  # the tablet sends it again
    finally:
        server.stop()
    push_exactly(child, family["parent"])


def sign_in(url: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                   "password": PASSWORD}).encode()
    opener.open(url + "/login", data=body, timeout=30).read()
    page = opener.open(url + "/council/triage", timeout=30).read().decode()  # a new session
    return opener, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def set_status(opener, token, url, need_id, status):
    body = urllib.parse.urlencode({"csrf_token": token, "status": status}).encode()
    with opener.open(f"{url}/council/needs/{need_id}/status", data=body, timeout=30) as r:
        return r.status


def test_cut_during_triage(family, monkeypatch):
    child = family["child"]
    capture = Capturer(child)
    one, two = capture.need(text="Maji ya bomba"), capture.need(text="Barabara mbovu")
    ids = {r[1]: r[0] for r in query(child, "SELECT id, uuid FROM needs")}
    add_user(child, "cm", "council")
    cut_at(monkeypatch, "triage.status:2")
    server = LiveServer(child).start()
    opener, token = sign_in(server.url, "cm")
    assert set_status(opener, token, server.url, ids[one["uuid"]], "accepted") == 200
    cut_request(lambda: set_status(opener, token, server.url, ids[two["uuid"]], "accepted"))
    assert wait_for_cut(server.proc) == CUT

    no_cut(monkeypatch)
    server.start()
    try:
        assert integrity(child) == "ok"
        status = dict(query(child, "SELECT uuid, status FROM needs"))
        assert status == {one["uuid"]: "accepted", two["uuid"]: "new"}
        opener, token = sign_in(server.url, "cm")
        assert set_status(opener, token, server.url, ids[two["uuid"]], "accepted") == 200
    finally:
        server.stop()
    push_exactly(child, family["parent"])


def test_cut_during_backup(family, monkeypatch, tmp_path):
    child = family["child"]
    Capturer(child).sample(limit=10)
    before = uuids(child)
    cut_at(monkeypatch, "backup.copy", run_now="daily_backup")
    assert wait_for_cut(serve_jobs(child, tmp_path / "serve.log")) == CUT
    assert integrity(child) == "ok" and uuids(child) == before
    assert list((child / "backups").glob("daily-*.db")) == []  # no half backup under its name

    monkeypatch.delenv("SAUTI_HALT_AT")
    server = LiveServer(child).start()  # SAUTI_RUN_NOW=daily_backup: the next backup works
    try:
        for _ in range(600):  # bounded: 60 s
            done = list((child / "backups").glob("daily-*.db"))
            if done:
                break
            time.sleep(0.1)
        assert done, server.output()
        assert integrity(done[0]) == "ok" and uuids(done[0]) == before
    finally:
        server.stop()
    push_exactly(child, family["parent"])


def test_cut_during_received_push(family, monkeypatch):
    child, parent, parent_server = family["child"], family["parent"], family["parent_server"]
    Capturer(child).sample(limit=12)
    parent_server.stop()
    cut_at(monkeypatch, "inbox.apply")
    parent_server.start()
    pushed = sauti("sync", "push", "--home", child)
    assert pushed.returncode != 0  # never acknowledged: the child keeps everything pending
    assert wait_for_cut(parent_server.proc) == CUT
    assert integrity(parent) == "ok"
    assert query(parent, "SELECT count(*) FROM shared_needs")[0][0] == 0  # all or nothing

    no_cut(monkeypatch)
    parent_server.start()
    push_exactly(child, parent)
    Capturer(child).need(text="Hitaji jipya baada ya kukatika kwa umeme")
    push_exactly(child, parent)


def test_cut_during_weekly_snapshot(family, monkeypatch, tmp_path):
    child, parent, parent_server = family["child"], family["parent"], family["parent_server"]
    Capturer(child).sample(limit=12)
    push_exactly(child, parent)
    parent_server.stop()
    cut_at(monkeypatch, "snapshot.write", run_now="weekly_snapshot")
    assert wait_for_cut(serve_jobs(parent, tmp_path / "parent.log")) == CUT
    assert integrity(parent) == "ok"
    assert query(parent, "SELECT count(*) FROM agg_snapshots")[0][0] == 0  # rolled back whole
    assert query(parent, "SELECT count(*) FROM shared_needs")[0][0] == 12

    monkeypatch.delenv("SAUTI_HALT_AT")
    parent_server.start()  # SAUTI_RUN_NOW=weekly_snapshot: taken this time
    for _ in range(600):  # bounded: 60 s
        if query(parent, "SELECT count(*) FROM agg_snapshots")[0][0]:
            break
        time.sleep(0.1)
    snap_cells = query(parent, "SELECT count(*) FROM agg_snapshot_cells")[0][0]
    live_cells = query(parent, "SELECT count(*) FROM agg_cells WHERE needs > 0")[0][0]
    assert snap_cells == live_cells > 0
    Capturer(child).need(text="Hitaji jipya baada ya picha ya wiki")
    push_exactly(child, parent)
