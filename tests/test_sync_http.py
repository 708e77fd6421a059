"""The parent's upload endpoints: signed start, chunk limits, quota, bounded
concurrency, stale cleanup, and the child refusing an acknowledgement it cannot verify."""

import time

import pytest

from app.factory import create_app
from app.node import home
from app.store import sync_state
from sync import http_push, http_receive, messages, outbox
from sync.batch import sha256_hex
from sync.errors import BadAnswer
from sync.local import Local
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, counts, enrol, node

pytestmark = ENGINES


@pytest.fixture
def pair(tmp_path):
    parent = node(tmp_path / "p", "Nairobi", "region", "KE/47")
    child = node(tmp_path / "c", "Kangemi", "community", "KE/47/westlands/kangemi")
    enrol(parent, child, "Kangemi")
    app = create_app({"HOME": parent, "TESTING": True})
    local = Local.open(home.open_home(child))
    yield app.test_client(), local, parent, child
    local.close()


def signed(local, **msg):
    return http_push._signed(local, msg)


def start(client, local, raw: bytes):
    return client.post(
        "/api/v1/sync/start",
        json=signed(local, type="start", bundle=sha256_hex(raw), size=len(raw)),
    )


def test_hello_needs_an_enrolled_signed_child(pair, tmp_path):
    client, local, parent, _child = pair
    ok = client.post("/api/v1/sync/hello", json=signed(local, type="hello", batched=0))
    assert ok.status_code == 200
    welcome = messages.verify(ok.get_json(), _pub(parent), "welcome")
    assert welcome["max_chunk"] == http_receive.MAX_CHUNK and welcome["have"] == 0

    forged = signed(local, type="hello", batched=0)
    forged["msg"]["batched"] = 5
    bad = client.post("/api/v1/sync/hello", json=forged)
    assert bad.status_code == 403 and bad.get_json()["error"] == "bad_signature"

    stranger = Local.open(home.open_home(node(tmp_path / "s", "S", "community", "KE/47/s")))
    try:
        refused = client.post("/api/v1/sync/hello", json=signed(stranger, type="hello"))
    finally:
        stranger.close()
    assert refused.status_code == 403 and refused.get_json()["error"] == "unknown_sender"


def _pub(path):
    return (path / "node.pub").read_text().strip()


def test_chunks_only_after_a_signed_start_and_within_limits(pair):
    client, local, parent, child = pair
    Capturer(child).need()
    raw = outbox.build(local)[0]
    assert client.post("/api/v1/sync/upload/nope?offset=0", data=b"x").status_code == 404
    answer = start(client, local, raw).get_json()
    upload = answer["upload"]
    assert answer["received"] == 0
    too_big = client.post(f"/api/v1/sync/upload/{upload}?offset=0", data=b"x" * 70_000)
    assert too_big.status_code == 413
    early = client.post(f"/api/v1/sync/finish/{upload}")
    assert early.status_code == 409
    half = len(raw) // 2
    assert (
        client.post(f"/api/v1/sync/upload/{upload}?offset=0", data=raw[:half]).get_json()[
            "received"
        ]
        == half
    )
    # a chunk at the wrong offset is not stored; the answer says where to resume
    wrong = client.post(f"/api/v1/sync/upload/{upload}?offset=3", data=raw[3:half])
    assert wrong.get_json()["received"] == half
    # a new start for the same bundle resumes
    assert start(client, local, raw).get_json()["received"] == half
    client.post(f"/api/v1/sync/upload/{upload}?offset={half}", data=raw[half:])
    ack = client.post(f"/api/v1/sync/finish/{upload}")
    assert ack.status_code == 200
    msg = messages.verify(ack.get_json(), _pub(parent), "ack")
    assert msg["new"] == 1 and msg["bundle"] == sha256_hex(raw)
    # starting the same bundle again returns the stored answer; nothing is applied twice
    repeat = start(client, local, raw).get_json()
    assert repeat["done"] is True and repeat["answer"] == ack.get_json()
    assert counts(parent)["need"] == 1


def test_quota_and_concurrency(pair, monkeypatch, tmp_path):
    client, local, parent, _child = pair
    monkeypatch.setattr(http_receive, "QUOTA_BYTES", 100)
    big = start(client, local, b"x" * 101)
    assert big.status_code == 413 and big.get_json()["error"] == "too_large"
    monkeypatch.setattr(http_receive, "QUOTA_BYTES", 10_000)
    monkeypatch.setattr(http_receive, "MAX_UPLOADS", 1)
    assert start(client, local, b"a" * 50).status_code == 200
    other_path = node(tmp_path / "o", "Other", "community", "KE/47/o")
    enrol(parent, other_path, "Other")
    other = Local.open(home.open_home(other_path))
    try:
        busy = start(client, other, b"b" * 50)
    finally:
        other.close()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
    assert busy.get_json()["error"] == "busy"


def test_stale_partial_uploads_are_cleaned(pair):
    client, local, parent, _child = pair
    upload = start(client, local, b"z" * 5000).get_json()["upload"]
    client.post(f"/api/v1/sync/upload/{upload}?offset=0", data=b"z" * 2000)
    plocal = Local.open(home.open_home(parent))
    try:
        assert http_receive.cleanup(plocal) == 0  # still fresh
        assert http_receive.cleanup(plocal, now=time.time() + http_receive.STALE_SECONDS + 5) == 1
        assert plocal.db.execute("SELECT count(*) FROM sync_upload_chunks").fetchone()[0] == 0
    finally:
        plocal.close()
    assert client.post(f"/api/v1/sync/upload/{upload}?offset=2000", data=b"z").status_code == 404


def test_child_refuses_an_ack_not_signed_by_its_parent(pair, monkeypatch):
    client, local, parent, child = pair
    Capturer(child).need()

    def through_test_client(self, path, body, content_type="application/json"):
        response = client.post("/api/v1/sync" + path, data=body, content_type=content_type)
        return response.get_json()

    monkeypatch.setattr(http_push.Client, "post", through_test_client)
    impostor = node(child.parent / "x", "X", "region", "KE/47")
    sync_state.set_parent(local.db, "http://127.0.0.1:9", _pub(impostor))
    with pytest.raises(BadAnswer):
        http_push.push(local)
    assert sync_state.acked_seq(local.db) == 0 and sync_state.pending(local.db) == 1
    assert "not signed" in sync_state.get(local.db, "last_error")
    sync_state.set_parent(local.db, "http://127.0.0.1:9", _pub(parent))
    result = http_push.push(local)
    assert result["new"] == 1 and sync_state.pending(local.db) == 0
