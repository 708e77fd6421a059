"""An audio note never leaves its node: a marker planted in the recordings is
looked for in every byte that crosses a boundary — the sealed bundle file and
what it unpacks to, every HTTP push body to a parent (unpacked too), the
parent's whole home afterwards, the open-data export, the public pages, and a
plain backup — and the node's own home holds it in no byte once the need is
removed or the retention days are over. A need captured by audio alone sends
no text and is counted like any other."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import zstandard

from app.aggregate import opendata
from app.factory import create_app
from app.node import home, settings
from app.privacy import retention
from app.store import needs as needs_store
from schema.need import AUDIO_ONLY_TEXT
from sync import file_seal, http_push
from sync.bundle import peek_header
from tests.sync_helpers import Capturer, cli, enrol, node, public_key

from .audio_helpers import MARKER, wav
from .conftest import LiveServer

AUDIO_TEXT = AUDIO_ONLY_TEXT.encode()


def unpacked(raw: bytes) -> bytes:
    """The uncompressed body of a raw bundle (what its records and texts are made of)."""
    _header, _hb, _sig, offset = peek_header(raw)
    return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw[offset:])).read()


def home_bytes(path: Path) -> list[tuple[str, bytes]]:
    """Every file under a node home, as bytes (database, WAL, bundles, audio ...)."""
    return [(str(p.relative_to(path)), p.read_bytes()) for p in sorted(path.rglob("*")) if p.is_file()]


def holders(blobs, needle: bytes = MARKER) -> list[str]:
    return [name for name, data in blobs if needle in data]


@pytest.fixture
def pair(tmp_path):
    child = node(tmp_path / "kangemi", "Kangemi", "community", "KE/47/westlands/kangemi",
                 share_text="scrubbed", open_data="on", open_data_records="on", k="2")
    parent = node(tmp_path / "westlands", "Westlands", "district", "KE/47/westlands")
    return child, parent


def plant(child: Path) -> dict:
    """Needs with recordings that carry MARKER: one with a text, two by audio alone."""
    capturer = Capturer(child)
    planted = {}
    for name, text in (("texted", "Kisima kimeharibika"), ("voice", AUDIO_ONLY_TEXT),
                       ("voice2", AUDIO_ONLY_TEXT)):
        need = capturer.need(text=text)
        response = capturer.client.put(
            f"/api/v1/needs/{need['uuid']}/audio", data=wav(marker=MARKER),
            headers={**capturer.headers, "Content-Type": "audio/wav"},
        )
        assert response.status_code == 204
        planted[name] = need
    assert holders(home_bytes(child)) == [f"audio/{f.name}" for f in sorted((child / "audio").iterdir())]
    assert len(holders(home_bytes(child))) == 3  # the scan finds the marker where it is
    return planted


def test_no_byte_of_an_audio_note_crosses_a_boundary(pair, tmp_path, monkeypatch):
    child, parent = pair
    planted = plant(child)
    crossed: list[tuple[str, bytes]] = []

    # 1. The sealed bundle file, and what it unseals and unpacks to.
    enrol(parent, child, "kangemi")
    bundle_file = tmp_path / "usb" / "kangemi.sauti"
    bundle_file.parent.mkdir()
    cli("sync", "export", bundle_file, "--home", child)
    sealed = bundle_file.read_bytes()
    raw = file_seal.unseal(sealed, home.open_home(parent).signing_key())
    crossed += [("bundle file", sealed), ("bundle", raw), ("bundle unpacked", unpacked(raw))]
    assert b"Kisima kimeharibika" in unpacked(raw)  # the scan sees plain texts

    # 2. Every HTTP body a push sends to the parent (upload pieces joined and unpacked).
    server = LiveServer(parent).start()
    sent: list[tuple[str, bytes]] = []
    original = http_push.Client.post

    def recording(self, path, body, content_type="application/json"):
        sent.append((path, body))
        return original(self, path, body, content_type)

    monkeypatch.setattr(http_push.Client, "post", recording)
    try:
        cli("parent", "set", server.url, "--key", public_key(parent), "--home", child)
        cli("sync", "push", "--home", child)
    finally:
        server.stop()
    pushed = b"".join(body for path, body in sent if path.startswith("/upload/"))
    crossed += [(f"push {path}", body) for path, body in sent]
    crossed += [("push unpacked", unpacked(pushed))]
    assert b"Kisima kimeharibika" in unpacked(pushed)

    # 3. The parent's whole home after applying it: database, WAL, stored bundles.
    parent_files = home_bytes(parent)
    assert not (parent / "audio").exists()

    # 4. The open-data export and the public pages (open data on, k = 2).
    out = tmp_path / "open-data"
    cli("export", "open-data", out, "--home", child)
    crossed += [(f"open data {p.name}", p.read_bytes()) for p in out.rglob("*") if p.is_file()]
    opendata.weekly_snapshot(home.open_home(child))
    client = create_app({"HOME": child, "TESTING": True}).test_client()
    pages = ["/board", "/board/notice", "/aggregate/open-data",
             "/api/v1/aggregates?by=category", "/api/v1/aggregates?by=channel"]
    pages += [f"/status?ref={need['ref']}" for need in planted.values()]
    pages += [f"/needs/{need['ref']}/audio" for need in planted.values()]  # signed out
    pages += [f"/api/v1/needs/{need['uuid']}/audio" for need in planted.values()]
    for path in pages:
        response = client.get(path)
        crossed.append((f"page {path}", response.get_data()))
        assert response.status_code in (200, 302, 401), path
    package = client.get("/aggregate/open-data/package.zip")
    if package.status_code == 200:
        with zipfile.ZipFile(io.BytesIO(package.get_data())) as z:
            crossed += [(f"package {n}", z.read(n)) for n in z.namelist()]

    # 5. A plain backup (an encrypted one may hold audio under the contract; ours does not).
    backup = tmp_path / "kangemi.backup"
    cli("backup", backup, "--home", child)
    crossed.append(("backup", backup.read_bytes()))

    assert holders(crossed, b"Kisima kimeharibika")  # texts do show: the scan can see them
    assert f"page /status?ref={planted['texted']['ref']}" in holders(
        crossed, "Kisima kimeharibika".encode()
    )
    assert holders(crossed) == []
    assert holders(parent_files) == []
    # The audio-only marker text is no text: it never crosses either.
    assert holders(crossed[:-1], AUDIO_TEXT) == []  # (the backup is the node's own database)
    assert holders(parent_files, AUDIO_TEXT) == []
    # ... and the needs captured by audio alone are counted like any other.
    db = home.open_home(parent).connect()
    try:
        shared = list(db.query("SELECT text FROM shared_needs ORDER BY key"))
    finally:
        db.close()
    assert sorted(r["text"] or "" for r in shared) == ["", "", "Kisima kimeharibika"]


def test_the_home_holds_no_byte_of_a_note_after_removal_and_retention(pair):
    child, _parent = pair
    planted = plant(child)
    db = home.open_home(child).connect()
    try:
        texted = needs_store.by_uuid(db, planted["texted"]["uuid"])
        needs_store.remove(db, texted["id"], reason="erasure")
        assert len(holders(home_bytes(child))) == 2
        settings.set_value(db, "audio_retention_days", "1")
        now = dt.datetime.now(dt.UTC)
        assert retention.erase_expired_audio(db, now=now) == 0
        assert retention.erase_expired_audio(db, now=now + dt.timedelta(days=1, minutes=1)) == 2
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    assert holders(home_bytes(child)) == []
    assert list((child / "audio").iterdir()) == []
    # The needs themselves stay (and count); only their recordings are gone.
    client = create_app({"HOME": child, "TESTING": True}).test_client()
    assert client.get(f"/status?ref={planted['voice']['ref']}").status_code == 200
