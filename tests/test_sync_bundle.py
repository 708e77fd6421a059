"""Bundle format: encode/verify round trips and every rejection, v1 and v2."""

import base64
import struct

import nacl.signing
import pytest
import zstandard

from sync import bundle, codec
from sync.errors import BadSignature, CorruptBundle, UnsupportedVersion

ORIGIN = "0b7c6d1e-origin"


def need(seq: int, key: str, text: str | None = "Maji ni machafu", **extra) -> tuple:
    rec = {
        "origin": ORIGIN,
        "seq": seq,
        "key": key,
        "text": text,
        "language": "sw",
        "category": "water",
        "goals": [6],
        "locality": "KE/47/westlands",
        "gender": "female",
        "age_band": "25-34",
        "groups": ["displaced"],
        "channel": "meeting",
        "supporters": 3,
        "status": "new",
        "merged_into": None,
        "week": "2026-W10",
    }
    rec.update(extra)
    return ("need", rec)


RECORDS = [
    need(1, "1"),
    need(2, "2", text=None, gender="male"),
    need(3, "3", text="水井坏了，需要修理。"),
    ("retraction", {"origin": ORIGIN, "seq": 4, "key": "2", "kind": "need", "reason": "spam"}),
    (
        "meeting",
        {
            "origin": ORIGIN,
            "seq": 5,
            "key": "1",
            "title": "Baraza la maji",
            "locality": "KE/47/westlands",
            "week": "2026-W11",
            "attendance": [{"gender": "female", "age_band": "25-34", "count": 12}],
        },
    ),
    (
        "action",
        {
            "origin": ORIGIN,
            "seq": 6,
            "key": "9",
            "priority": "2",
            "what": "Fix the pump",
            "responsible": "Water office",
            "status": "in_progress",
            "budget_amount": "1200.50",
            "budget_currency": "KES",
            "start_week": "2026-W10",
            "due_week": None,
            "done_week": None,
            "progress": [
                {"week": "2026-W11", "note": "Parts ordered"},
                {"week": "2026-W12", "note": None},
            ],
        },
    ),
]


@pytest.fixture(scope="module")
def key():
    return nacl.signing.SigningKey.generate()


def pub(k) -> str:
    return base64.b64encode(bytes(k.verify_key)).decode()


def make(key, records=RECORDS, version=2):
    batch = bundle.make_batch(
        records,
        signing_key=key,
        origin=ORIGIN,
        locality="KE/47",
        first=1,
        last=6,
        version=version,
    )
    raw = bundle.make_bundle(
        [batch],
        signing_key=key,
        sender=ORIGIN,
        locality="KE/47",
        level="community",
        version=version,
    )
    return batch, raw


@pytest.mark.parametrize("version", [1, 2])
def test_round_trip_keeps_every_record(key, version):
    batch, raw = make(key, version=version)
    opened = bundle.open_bundle(raw, pub(key))
    assert opened.header["v"] == version
    [got] = opened.batches
    got.verify(pub(key))
    assert got.hash == batch.hash
    assert got.records() == RECORDS


def test_v1_and_v2_differ_on_the_wire_but_carry_the_same_records(key):
    b1, _ = make(key, version=1)
    b2, _ = make(key, version=2)
    assert "locality" not in b1.header and "texts" not in b1.header
    assert b2.header["locality"] == "KE/47" and b2.header["n_texts"] == 6
    assert b1.records_bytes != b2.records_bytes
    assert b1.records() == b2.records() == RECORDS


def test_columns_compress_repeated_values():
    col = codec.encode_column(["water"] * 500 + ["health"] * 500)
    assert set(col) == {"d", "s"} and len(col["s"]) == 1000
    assert codec.decode_column(col, 1000)[499:501] == ["water", "health"]
    seqs = codec.encode_column([str(i) for i in range(10, 1010)])
    assert codec.decode_column(seqs, 1000) == [str(i) for i in range(10, 1010)]
    assert len(zstandard.compress(codec.canonical(seqs))) < 60


def test_withheld_texts_still_verify(key):
    batch, _ = make(key)
    stripped = batch.without_texts()
    assert stripped.texts is None and len(stripped.withheld) == 6
    again, _ = bundle.read_batch(memoryview(stripped.to_bytes()), 0)
    again.verify(pub(key))
    texts = [r.get("text") for k, r in again.records() if k == "need"]
    assert texts == [None, None, None]
    assert again.hash == batch.hash


def test_a_flipped_byte_anywhere_is_rejected(key):
    _, raw = make(key)
    for pos in range(0, len(raw), 7):
        bad = bytearray(raw)
        bad[pos] ^= 0x01
        with pytest.raises((CorruptBundle, BadSignature, UnsupportedVersion)):
            bundle.open_bundle(bytes(bad), pub(key))


def test_truncated_bundle_is_corrupt(key):
    _, raw = make(key)
    for cut in (3, 12, len(raw) // 2, len(raw) - 1):
        with pytest.raises(CorruptBundle):
            bundle.open_bundle(raw[:cut], pub(key))


def test_wrong_key_is_a_bad_signature(key):
    _, raw = make(key)
    other = nacl.signing.SigningKey.generate()
    with pytest.raises(BadSignature):
        bundle.open_bundle(raw, pub(other))


def test_batch_signed_by_another_key_is_refused(key):
    batch, _ = make(key)
    with pytest.raises(BadSignature):
        batch.verify(pub(nacl.signing.SigningKey.generate()))


def test_unknown_version_is_refused(key):
    _, raw = make(key)
    with pytest.raises(UnsupportedVersion):
        bundle.open_bundle(raw[:5] + bytes([9]) + raw[6:], pub(key))


def test_altered_record_inside_a_validly_resigned_bundle_is_caught(key):
    """A relay that re-signs the bundle cannot change an origin's batch."""
    batch, _ = make(key)
    relay = nacl.signing.SigningKey.generate()
    forged = bundle.Batch(
        batch.header,
        batch.header_bytes,
        batch.sig,
        batch.records_bytes,
        ["Forged text"] + batch.texts[1:],
    )
    raw = bundle.make_bundle(
        [forged], signing_key=relay, sender="relay", locality="KE", level="region"
    )
    [got] = bundle.open_bundle(raw, pub(relay)).batches
    with pytest.raises(CorruptBundle):
        got.verify(pub(key))


def test_decompressed_size_is_capped(key):
    _, raw = make(key)
    with pytest.raises(CorruptBundle, match="unpack"):
        bundle.open_bundle(raw, pub(key), max_body=100)


def test_records_outside_the_allow_list_are_refused(key):
    extra = need(1, "1", respondent_name="Mary")
    batch = bundle.make_batch(
        [extra], signing_key=key, origin=ORIGIN, locality="KE", first=1, last=1
    )
    with pytest.raises(CorruptBundle, match="allow-list"):
        batch.records()


def test_invalid_values_are_refused(key):
    batch = bundle.make_batch(
        [need(1, "1", week="2026-03-04")],
        signing_key=key,
        origin=ORIGIN,
        locality="KE",
        first=1,
        last=1,
    )
    with pytest.raises(CorruptBundle, match="week"):
        batch.records()


def test_header_length_beyond_the_end_is_truncated(key):
    _, raw = make(key)
    bad = raw[:6] + struct.pack(">I", len(raw)) + raw[10:]
    with pytest.raises(CorruptBundle):
        bundle.open_bundle(bad, pub(key))
