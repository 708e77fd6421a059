"""PUT/GET /api/v1/needs/<uuid>/audio: formats, sizes, roles, replacement,
erasure with the need and after audio_retention_days, files left behind."""

import datetime as dt
import http.client
import os
import urllib.parse

import pytest

from app.node import home, settings
from app.privacy import retention
from app.store import audio as audio_store
from app.store import needs as needs_store

from .audio_helpers import MARKER, new_need, of_type, put_audio, wav
from .conftest import LiveServer, add_token, add_user

LIMIT = 2_097_152


@pytest.fixture
def fac(api):
    return api("facilitator", "amina")


def audio_files(node_home) -> list[str]:
    folder = node_home / "audio"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    "kind", ["audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav"]
)
def test_each_format_is_stored_and_played_back(fac, kind):
    client, headers = fac
    need = new_need(client, headers)
    data = of_type(kind)
    response = put_audio(client, headers, need["uuid"], data, kind + "; codecs=x")
    assert response.status_code == 204, response.json
    back = client.get(f"/api/v1/needs/{need['uuid']}/audio", headers=headers)
    assert back.status_code == 200
    assert back.data == data and back.mimetype == kind
    assert "no-store" in back.headers["Cache-Control"]
    part = client.get(
        f"/api/v1/needs/{need['uuid']}/audio", headers={**headers, "Range": "bytes=0-3"}
    )
    assert part.status_code == 206 and part.data == data[:4]  # <audio> seeks with ranges


def test_404_without_a_note_or_a_need(fac):
    client, headers = fac
    need = new_need(client, headers)
    assert client.get(f"/api/v1/needs/{need['uuid']}/audio", headers=headers).status_code == 404
    unknown = "11111111-2222-4333-8444-555555555555"
    assert put_audio(client, headers, unknown, wav()).status_code == 404
    assert client.get(f"/api/v1/needs/{unknown}/audio", headers=headers).status_code == 404


def test_roles_who_may_store_and_hear(api, fac):
    client, headers = fac
    need = new_need(client, headers)
    assert put_audio(client, headers, need["uuid"], wav()).status_code == 204
    path = f"/api/v1/needs/{need['uuid']}/audio"
    expected = {"council": 200, "analyst": 403, "admin": 403, "facilitator": 403}
    for role, status in expected.items():
        other, other_headers = api(role)
        assert other.get(path, headers=other_headers).status_code == status, role
    analyst, analyst_headers = api("analyst", "analyst-2")
    assert put_audio(analyst, analyst_headers, need["uuid"], wav()).status_code == 403
    assert client.get(path).status_code == 401


def test_a_note_is_replaced_only_by_who_may_hear_it(api, fac, node_home):
    client, headers = fac
    need = new_need(client, headers)
    assert put_audio(client, headers, need["uuid"], wav(marker=b"FIRST")).status_code == 204
    other, other_headers = api("facilitator", "baraka")
    assert put_audio(other, other_headers, need["uuid"], wav(marker=b"OTHER")).status_code == 403
    db = home.open_home(node_home).connect()
    first = audio_store.get(db, need["uuid"])
    assert put_audio(client, headers, need["uuid"], wav(marker=b"SECOND")).status_code == 204
    second = audio_store.get(db, need["uuid"])
    db.close()
    assert second["stored_at"] == first["stored_at"]  # replacing never extends retention
    assert b"SECOND" in client.get(f"/api/v1/needs/{need['uuid']}/audio", headers=headers).data
    assert audio_files(node_home) == [second["file"]]  # the old file is gone, nothing else


def test_413_over_two_mebibytes_and_exactly_two_is_fine(fac, node_home):
    client, headers = fac
    need = new_need(client, headers)
    head = of_type("audio/ogg")
    exact = head + b"\0" * (LIMIT - len(head))
    assert put_audio(client, headers, need["uuid"], exact, "audio/ogg").status_code == 204
    over = put_audio(client, headers, need["uuid"], exact + b"\0", "audio/ogg")
    assert over.status_code == 413 and over.json["error"] == "too_large"
    assert len(audio_files(node_home)) == 1


@pytest.mark.parametrize(
    "kind, data, status, code",
    [
        ("text/plain", b"hello", 415, "unsupported_media_type"),
        ("application/octet-stream", wav(), 415, "unsupported_media_type"),
        (None, wav(), 415, "unsupported_media_type"),
        ("audio/wav", of_type("audio/ogg"), 422, "not_audio"),
        ("audio/webm", b"<html><script>alert(1)</script>", 422, "not_audio"),
        ("audio/mpeg", b"", 422, "not_audio"),
        ("audio/mpeg", b"\xff\xf1\x50\x80", 422, "not_audio"),  # AAC ADTS, not MPEG audio
        ("audio/amr", b"#!AMR\n", 415, "unsupported_media_type"),
    ],
)
def test_refused_bodies(fac, node_home, kind, data, status, code):
    client, headers = fac
    need = new_need(client, headers)
    extra = {"Content-Type": kind} if kind else {}
    response = client.put(
        f"/api/v1/needs/{need['uuid']}/audio", data=data, headers={**headers, **extra}
    )
    assert response.status_code == status and response.json["error"] == code
    assert audio_files(node_home) == []


def test_a_chunked_body_is_cut_at_the_limit(node_home):
    """A body without Content-Length is read only up to the limit (real server)."""
    add_user(node_home, "amina", "facilitator")
    token = add_token(node_home, "amina")
    server = LiveServer(node_home)
    server.start()
    try:
        host = urllib.parse.urlsplit(server.url)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        uuid_ = "6b1f7a52-0c3d-4e8f-9a1b-2c3d4e5f6a7b"
        conn.request(
            "POST",
            "/api/v1/needs",
            body=f'{{"uuid": "{uuid_}", "text": "Maji", "language": "sw"}}',
            headers=auth,
        )
        assert conn.getresponse().read() and True

        def chunks():
            yield of_type("audio/ogg")
            for _ in range(40):
                yield b"\0" * 65536  # 2.5 MiB in all

        conn.request(
            "PUT",
            f"/api/v1/needs/{uuid_}/audio",
            body=chunks(),
            headers={**auth, "Content-Type": "audio/ogg"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        assert response.status == 413
        conn.close()
    finally:
        server.stop()
    assert audio_files(node_home) == []


def test_erased_with_the_need(fac, signed_in, node_home):
    client, headers = fac
    need = new_need(client, headers)
    assert put_audio(client, headers, need["uuid"], wav()).status_code == 204
    db = home.open_home(node_home).connect()
    try:
        row = needs_store.by_uuid(db, need["uuid"])
        needs_store.remove(db, row["id"], reason="erasure")
        assert audio_store.get(db, need["uuid"]) is None
    finally:
        db.close()
    assert audio_files(node_home) == []
    council = signed_in("council")
    assert council.get(f"/api/v1/needs/{need['uuid']}/audio").status_code == 404
    assert put_audio(client, headers, need["uuid"], wav()).status_code == 404


def _age(db, uuid_: str, when: dt.datetime) -> None:
    db.execute(
        "UPDATE audio_notes SET stored_at = ? WHERE uuid = ?",
        [when.isoformat(timespec="seconds"), uuid_],
    )


def test_retention_erases_old_notes_only(fac, node_home):
    client, headers = fac
    old, edge, fresh = (new_need(client, headers) for _ in range(3))
    for need in (old, edge, fresh):
        assert put_audio(client, headers, need["uuid"], wav()).status_code == 204
    now = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)
    db = home.open_home(node_home).connect()
    try:
        assert settings.get_int(db, "audio_retention_days") == 90
        settings.set_value(db, "audio_retention_days", "30")
        _age(db, old["uuid"], now - dt.timedelta(days=30, seconds=1))
        _age(db, edge["uuid"], now - dt.timedelta(days=29, hours=23))
        _age(db, fresh["uuid"], now - dt.timedelta(days=1))
        assert retention.erase_expired_audio(db, now=now) == 1
        assert audio_store.get(db, old["uuid"]) is None
        assert audio_store.get(db, edge["uuid"]) is not None
        assert retention.erase_expired_audio(db, now=now) == 0
        assert retention.erase_expired_audio(db, now=now + dt.timedelta(hours=2)) == 1
        assert needs_store.by_uuid(db, old["uuid"])["text"] == "Kisima kimeharibika"
    finally:
        db.close()
    assert len(audio_files(node_home)) == 1


def test_retention_sweeps_orphans_and_leftovers(node_home):
    db = home.open_home(node_home).connect()
    try:
        now = dt.datetime.now(dt.UTC)
        upload = audio_store.new_upload(db)
        upload.write_bytes(wav())
        audio_store.put(db, "never-came", upload, "audio/wav")
        leftover = audio_store.new_upload(db)
        leftover.write_bytes(MARKER)
        assert retention.erase_expired_audio(db, now=now) == 0  # too young to be an orphan
        assert len(audio_files(node_home)) == 2
        hour_ago = (now - dt.timedelta(hours=2)).timestamp()
        os.utime(leftover, (hour_ago, hour_ago))
        later = now + dt.timedelta(hours=audio_store.ORPHAN_HOURS, minutes=1)
        assert retention.erase_expired_audio(db, now=later) == 1
        assert audio_files(node_home) == []
    finally:
        db.close()


def test_scheduler_runs_the_audio_retention_job():
    from app.node import scheduler

    names = [fn.__name__ for fn, _trigger in scheduler.jobs()]
    assert "erase_old_audio" in names


def test_openapi_documents_the_audio_path(client):
    doc = client.get("/api/v1/openapi.json").json
    path = doc["paths"]["/api/v1/needs/{uuid}/audio"]
    assert set(path) == {"put", "get"}
    assert set(path["put"]["requestBody"]["content"]) == {
        "audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav"
    }
    assert "413" in path["put"]["responses"]
