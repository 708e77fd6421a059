"""A full disk never corrupts anything (issue 12): on a small real filesystem (a
size-limited tmpfs mounted by the test, as root), capture answers 507 `disk_full`,
the form keeps what was typed, nothing acknowledged is lost, and the node
recovers by itself once space returns."""

import html
import http.cookiejar
import json
import os
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from app.node import home
from app.store import db as dbmod
from tests.conftest import PASSWORD, LiveServer, add_token, add_user, make_home

SIZE = "6m"


@pytest.fixture
def small_disk(tmp_path):
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; run as root to test a full disk")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(mount)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); a full disk is untested")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder) -> int:
    """Write a filler file until the filesystem refuses more; its size."""
    written = 0
    with open(folder / "filler", "wb") as f:
        block = b"\0" * 65536
        while True:
            try:
                f.write(block)
                f.flush()
            except OSError:
                break
            written += len(block)
            if written > 64 * 2**20:  # bounded: the mount is a few MB
                raise AssertionError("the small filesystem never filled")
    return written


def post_need(url, token, need):
    request = urllib.request.Request(
        url + "/api/v1/needs", data=json.dumps(need).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def need(text: str) -> dict:
    return {"uuid": str(uuid.uuid4()), "text": text, "language": "sw", "category": "water"}


def sign_in(url):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(url + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": "fa", "password": PASSWORD})
    opener.open(url + "/login", data=body.encode(), timeout=30).read()
    return opener


def test_full_disk_refuses_clearly_loses_nothing_and_recovers(small_disk):
    node_home = make_home(small_disk / "home")
    add_user(node_home, "fa", "facilitator")
    token = add_token(node_home, "fa")
    server = LiveServer(node_home).start()
    try:
        opener = sign_in(server.url)
        form = opener.open(server.url + "/capture", timeout=30).read().decode()
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', form).group(1)
        acknowledged = []
        status, body = post_need(server.url, token, need("Maji safi kabla ya diski kujaa."))
        assert status == 201
        acknowledged.append(body["uuid"])
        fill(small_disk)

        refused = None
        for i in range(400):  # bounded: each need adds pages to the WAL until it cannot grow
            item = need(f"Hitaji {i}: " + "kisima cha maji kimeharibika " * 150)
            status, body = post_need(server.url, token, item)
            if status == 201:
                acknowledged.append(item["uuid"])
                continue
            refused = item
            break
        assert refused is not None, "the disk never filled up"
        assert status == 507, body
        assert body["error"] == "disk_full" and "disk is full" in body["message"]

        # The browser form answers the same and keeps what was typed.
        typed = "Barabara ya shule imejaa matope " * 40
        data = urllib.parse.urlencode({
            "csrf_token": csrf, "uuid": str(uuid.uuid4()), "text": typed.strip(),
            "language": "sw", "category": "roads",
        }).encode()
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(server.url + "/capture", data=data, timeout=30)
        assert answer.value.code == 507
        page = html.unescape(answer.value.read().decode())
        assert typed.strip() in page and "disk is full" in page

        # Space returns: the node takes the refused need without a restart.
        (small_disk / "filler").unlink()
        status, body = post_need(server.url, token, refused)
        assert status == 201, body
        acknowledged.append(refused["uuid"])
        for item_uuid in acknowledged:
            request = urllib.request.Request(
                f"{server.url}/api/v1/needs/{item_uuid}",
                headers={"Authorization": f"Bearer {token}"},
            )
            with urllib.request.urlopen(request, timeout=30) as r:
                assert r.status == 200
    finally:
        server.stop()
    db = home.open_home(node_home).connect()
    try:
        assert dbmod.integrity_ok(db)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in db.execute("SELECT uuid FROM needs")}
        assert set(acknowledged) <= stored
    finally:
        db.close()
