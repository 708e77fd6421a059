"""Attack 5: uploads sent in full but never finished counted nothing against the
child's quota, and one child's open uploads made every sibling's push "busy" for
hours. A child now has at most one open upload (a new bundle replaces its unfinished
one), which counts in full; siblings are never kept waiting by it."""

import os

from app.node import home
from app.store import sync_inbox
from sync import http_push, http_receive
from sync.batch import sha256_hex


def start(family, path, raw):
    local = family.local(path)
    try:
        msg = {"type": "start", "bundle": sha256_hex(raw), "size": len(raw)}
        return family.client.post("/api/v1/sync/start", json=http_push._signed(local, msg))
    finally:
        local.close()


def send_all(family, upload_id, raw):
    for offset in range(0, len(raw), http_receive.MAX_CHUNK):
        part = raw[offset : offset + http_receive.MAX_CHUNK]
        answer = family.client.post(f"/api/v1/sync/upload/{upload_id}?offset={offset}", data=part)
        assert answer.status_code == 200


def stored_bytes(family) -> int:
    db = home.open_home(family.region).connect()
    try:
        return sync_inbox.chunk_bytes(db)
    finally:
        db.close()


def test_finished_but_unapplied_uploads_count_against_the_quota(family, monkeypatch):
    monkeypatch.setattr(http_receive, "QUOTA_BYTES", 200_000)
    for _ in range(4):
        raw = os.urandom(200_000)
        answer = start(family, family.a, raw)
        assert answer.status_code == 200
        send_all(family, answer.get_json()["upload"], raw)
        assert stored_bytes(family) <= http_receive.QUOTA_BYTES


def test_one_child_cannot_make_its_siblings_wait(family):
    for _ in range(http_receive.MAX_UPLOADS + 1):
        assert start(family, family.a, os.urandom(1000)).status_code == 200
    sibling = start(family, family.b, os.urandom(1000))
    assert sibling.status_code == 200, sibling.get_json()
