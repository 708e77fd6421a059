"""The anonymizer: nothing personal in the bytes of a produced bundle or file."""

import json
import re
import uuid

import pytest
import zstandard

from app.node import home
from app.store import events, needs, sync_state
from sync import anonymize, bundle, file_seal, outbox
from sync.batch import read_batch
from sync.local import Local
from tests.sync_helpers import SAMPLE, Capturer, cli, node, public_key

# Planted personal data beside the shared sample: (need fields, strings that must not leak)
PLANTED = [
    (
        {
            "text": "Bomba limevunjika. Nipigie 0712-345-678 au baraka.mwangi@mail.co.ke",
            "language": "sw",
            "respondent": {"name": "Baraka Mwangi", "contact": "0712345678"},
            "consent": True,
        },
        ["0712-345-678", "0712345678", "baraka.mwangi@mail.co.ke", "Baraka Mwangi"],
    ),
    (
        {
            "text": "المياه ملوثة. رقمي ٠٧٩٩١٢٣٤٥٦ واسمي يوسف الخطيب",
            "language": "ar",
            "respondent": {"name": "يوسف الخطيب"},
            "consent": True,
        },
        ["٠٧٩٩١٢٣٤٥٦", "0799123456", "يوسف", "الخطيب"],
    ),
    (
        {
            "text": "सड़क टूटी है। मेरा फ़ोन ९८७६५ ४३२१० है, नाम रमेश कुमार",
            "language": "hi",
            "respondent": {"name": "रमेश कुमार"},
            "consent": True,
        },
        ["९८७६५ ४३२१०", "९८७६५४३२१०", "रमेश", "कुमार"],
    ),
    (
        {
            "text": "JOSE PEREZ pide luz en la calle; cédula 12345678; ver http://fotos.example/jperez/casa?id=7",
            "language": "es",
            "respondent": {"name": "José Pérez"},
            "consent": True,
        },
        ["JOSE PEREZ", "12345678", "fotos.example/jperez", "José Pérez"],
    ),
    (
        {
            "text": "王小明说学校没有饮水机，电话 +86 139 8765 4321。",
            "language": "zh-Hans",
            "respondent": {"name": "王小明"},
            "consent": True,
        },
        ["王小明", "+86 139 8765 4321", "8613987654321"],
    ),
]
USERNAME = "capture-admin"


def _variants(pii: str) -> set[str]:
    stripped = re.sub(r"[\s\-()\[\]]", "", pii)
    return {pii, stripped}


def _assert_no_leak(blobs: list[bytes], secrets: list[str]):
    for blob in blobs:
        for secret in secrets:
            for variant in _variants(secret):
                assert variant.encode() not in blob, (variant, blob[:200])


@pytest.fixture
def community(tmp_path):
    path = node(
        tmp_path / "c", "Kangemi", "community", "KE/47/westlands/kangemi", share_text="scrubbed"
    )
    parent = node(tmp_path / "p", "Nairobi", "region", "KE/47")
    cli("parent", "set", "http://127.0.0.1:9", "--key", public_key(parent), "--home", path)
    return path, parent


def _capture_everything(path):
    capturer = Capturer(path)
    uuids, secrets = [], [USERNAME]
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        secrets += data.pop("pii")
        uuids.append(capturer.need(**data)["uuid"])
    for fields, pii in PLANTED:
        uuids.append(capturer.need(**fields)["uuid"])
        secrets += pii
    contacts = [
        json.loads(line).get("respondent", {}).get("contact")
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
    ]
    secrets += [c for c in contacts if c]
    return uuids, secrets


def _decompressed(raw: bytes) -> bytes:
    _header, _hb, _sig, offset = bundle.peek_header(raw)
    return zstandard.ZstdDecompressor().stream_reader(raw[offset:]).read()


def test_no_personal_data_in_bundle_or_file(community, tmp_path):
    path, parent = community
    uuids, secrets = _capture_everything(path)
    cli("sync", "export", tmp_path / "out.sauti", "--home", path)
    sealed = (tmp_path / "out.sauti").read_bytes()
    parent_home = home.open_home(parent)
    raw = file_seal.unseal(sealed, parent_home.signing_key())
    body = _decompressed(raw)
    blobs = [sealed, raw, body]
    _assert_no_leak(blobs, secrets + uuids)
    # and the texts did travel, scrubbed
    assert b"[phone]" in body and b"[name]" in body and b"[email]" in body
    assert b"Kisima cha kijiji" in body


def test_records_carry_weeks_not_times_and_no_uuid(community):
    path, _ = community
    capturer = Capturer(path)
    stored = capturer.need(captured_at="2026-03-04T09:30:00+03:00")
    local = Local.open(home.open_home(path))
    try:
        [(kind, rec)] = anonymize.shared_records(local.db, events.since(local.db, 0))
    finally:
        local.close()
    assert kind == "need" and rec["week"] == "2026-W10"
    assert stored["uuid"] not in json.dumps(rec)
    assert "09:30" not in json.dumps(rec)
    assert set(rec) <= set(bundle.codec.SCHEMAS["need"]._declared_fields)


@pytest.mark.parametrize(
    "policy, expected",
    [
        ("never", [None, None]),
        ("reviewed", [None, "Checked text"]),
        ("scrubbed", ["Unchecked text", "Checked text"]),
    ],
)
def test_share_text_decides_which_texts_go_up(community, policy, expected):
    path, _ = community
    cli("settings", "set", "share_text", policy, "--home", path)
    capturer = Capturer(path)
    capturer.need(text="Unchecked text")
    checked = capturer.need(text="Checked text")
    local = Local.open(home.open_home(path))
    try:
        need_id = needs.by_uuid(local.db, checked["uuid"])["id"]
        needs.mark_text_checked(local.db, need_id)
        records = anonymize.shared_records(local.db, events.since(local.db, 0))
    finally:
        local.close()
    assert [r["text"] for _k, r in records] == expected


def test_hidden_kiosk_needs_never_go_up(community):
    path, _ = community
    local = Local.open(home.open_home(path))
    try:
        hidden, _ = needs.insert(
            local.db,
            {
                "uuid": str(uuid.uuid4()),
                "text": "Kiosk text",
                "language": "en",
                "category": "water",
                "goals": [6],
                "locality": "KE/47/westlands/kangemi",
                "gender": "female",
                "age_band": "undisclosed",
                "groups": [],
                "channel": "self",
                "supporters": 1,
            },
            submission_hash="h",
            hidden=True,
        )
        events.append(local.db, "need_status", hidden["id"])  # even with an event
        assert anonymize.shared_records(local.db, events.since(local.db, 0)) == []
    finally:
        local.close()


def test_a_retraction_travels_and_the_retracted_text_does_not(community):
    path, _ = community
    capturer = Capturer(path)
    stored = capturer.need(text="Call me on 0712 345 678 — Amina")
    local = Local.open(home.open_home(path))
    try:
        need_id = needs.by_uuid(local.db, stored["uuid"])["id"]
        events.append(
            local.db, "retraction", need_id, json.dumps({"kind": "need", "reason": "personal_data"})
        )
        outbox.seal_pending(local)
        [row] = sync_state.unacked_batches(local.db)
        batch, _ = read_batch(memoryview(row["data"]), 0)
        records = batch.records()
    finally:
        local.close()
    assert [k for k, _r in records] == ["retraction"]
    assert records[0][1] | {"origin": None} == {
        "origin": None,
        "seq": 2,
        "key": str(need_id),
        "kind": "need",
        "reason": "personal_data",
    }
