"""A region with two enrolled communities (real homes), its app for requests, and
helpers to read what the region stored and alerted."""

import json

import pytest

from app.factory import create_app
from app.node import home
from app.store import sync_alerts
from sync.local import Local
from tests.sync_helpers import enrol, node

REGION = "KE/47"
KANGEMI = "KE/47/westlands/kangemi"
KAWANGWARE = "KE/47/westlands/kawangware"


class Family:
    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.region = node(tmp_path / "region", "Nairobi", "region", REGION)
        self.a = node(tmp_path / "a", "Kangemi", "community", KANGEMI)
        self.b = node(tmp_path / "b", "Kawangware", "community", KAWANGWARE)
        enrol(self.region, self.a, "Kangemi")
        enrol(self.region, self.b, "Kawangware")
        self.app = create_app({"HOME": self.region, "TESTING": True})
        self.client = self.app.test_client()

    def local(self, path) -> Local:
        return Local.open(home.open_home(path))

    def alerts(self, path=None) -> list[dict]:
        db = home.open_home(path or self.region).connect()
        try:
            return sync_alerts.all_alerts(db)
        finally:
            db.close()


@pytest.fixture
def family(tmp_path):
    return Family(tmp_path)


def deep_json(depth: int = 20_000) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def as_json(response) -> dict:
    return json.loads(response.get_data())


def upload(client, local: Local, raw: bytes):
    """Send RAW through the parent's real HTTP endpoints: signed start, chunks,
    finish. Returns the last response."""
    from sync import http_push
    from sync.batch import sha256_hex

    started = client.post(
        "/api/v1/sync/start",
        json=http_push._signed(local, {"type": "start", "bundle": sha256_hex(raw), "size": len(raw)}),
    )
    if started.status_code != 200:
        return started
    upload_id = started.get_json()["upload"]
    for offset in range(0, len(raw), 64 * 1024):
        client.post(
            f"/api/v1/sync/upload/{upload_id}?offset={offset}", data=raw[offset : offset + 64 * 1024]
        )
    return client.post(f"/api/v1/sync/finish/{upload_id}")


def own_bundle(path) -> bytes:
    """The bundle a node would send its parent now (its real outbox)."""
    from sync import outbox

    local = Local.open(home.open_home(path))
    try:
        return outbox.build(local)[0]
    finally:
        local.close()
