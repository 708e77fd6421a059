"""Bundle format: encode/verify round trips and every rejection, v1, v2 and v3."""

import base64
import struct
from pathlib import Path

import nacl.signing
import pytest
import zstandard

from app.node import home
from sync import bundle, codec, file_seal, outbox
from sync.batch import Batch, make_batch, read_batch
from sync.errors import BadSignature, CorruptBundle, NotForThisNode, UnsupportedVersion
from sync.local import Local
from tests.sync_helpers import Capturer, cli, counts, enrol, node, public_key

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


def make(key, records=RECORDS, version=bundle.VERSION):
    batch = make_batch(
        records,
        signing_key=key,
        origin=ORIGIN,
        locality="KE/47",
        first=1,
        last=6,
        version=bundle.batch_format(version),
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


@pytest.mark.parametrize("version", [1, 2, 3])
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
    again, _ = read_batch(memoryview(stripped.to_bytes()), 0)
    again.verify(pub(key))
    texts = [r.get("text") for k, r in again.records() if k == "need"]
    assert texts == [None, None, None]
    assert again.hash == batch.hash


def _every_bit_flipped(raw: bytes):
    """Every one-bit change of RAW: each bit of each byte, in order."""
    for pos in range(len(raw)):
        for bit in range(8):
            bad = bytearray(raw)
            bad[pos] ^= 1 << bit
            yield pos, bit, bytes(bad)


def test_a_flipped_byte_anywhere_is_rejected(key):
    """Every bit of every byte counts (CONTRACT "Every byte counts"), zstd frame included:
    some of its bits change nothing in what it unpacks to, so only the signed digest of
    the compressed bytes catches them."""
    _, raw = make(key)
    header, _hb, _sig, offset = bundle.peek_header(raw)
    assert header["v"] == bundle.VERSION == 3 and len(raw) - offset > 100
    accepted = []
    for pos, bit, bad in _every_bit_flipped(raw):
        try:
            bundle.open_bundle(bad, pub(key))
        except (CorruptBundle, BadSignature, UnsupportedVersion):
            continue
        accepted.append((pos, bit))
    assert accepted == []


def test_compressed_bytes_are_checked_before_anything_is_unpacked(key, monkeypatch):
    _, raw = make(key)
    bad = bytearray(raw)
    bad[-1] ^= 0x01

    def no_unpacking(*_args, **_kwargs):
        raise AssertionError("decompressed a bundle whose compressed bytes were not checked")

    monkeypatch.setattr(bundle.zstandard, "ZstdDecompressor", no_unpacking)
    with pytest.raises(CorruptBundle, match="compressed body"):
        bundle.open_bundle(bytes(bad), pub(key))


def test_a_flipped_bit_anywhere_in_a_sealed_file_is_rejected(key):
    receiver = nacl.signing.SigningKey.generate()
    _, raw = make(key)
    sealed = file_seal.seal(raw, pub(receiver))
    assert bundle.open_bundle(file_seal.unseal(sealed, receiver), pub(key)).raw == raw
    accepted = []
    for pos, bit, bad in _every_bit_flipped(sealed):
        try:
            bundle.open_bundle(file_seal.unseal(bad, receiver), pub(key))
        except (CorruptBundle, NotForThisNode, BadSignature, UnsupportedVersion):
            continue
        accepted.append((pos, bit))
    assert accepted == []


def test_a_version_2_bundle_lacks_the_compressed_digest_and_is_still_read(key):
    _, old = make(key, version=2)
    header, *_ = bundle.peek_header(old)
    assert old[5] == 2 and header["v"] == 2 and "zstd" not in header
    [got] = bundle.open_bundle(old, pub(key)).batches
    assert got.records() == RECORDS
    _, new = make(key)
    assert "zstd" in bundle.peek_header(new)[0]
    with pytest.raises(ValueError):
        make(key, version=4)


def test_a_version_2_bundle_file_from_a_node_not_yet_upgraded_is_applied(tmp_path):
    """A parent accepts the previous format version (CONTRACT "Between nodes"): a child
    still writing version 2 syncs by file, and the same batches arriving again in a
    version 3 file are known, not new."""
    parent = node(tmp_path / "parent", "Nairobi", "region", "KE/47")
    child = node(tmp_path / "child", "Kangemi", "community", "KE/47/westlands/kangemi")
    enrol(parent, child, "Kangemi")
    captured = Capturer(child).sample(limit=5)
    local = Local.open(home.open_home(child))
    try:
        raw, own, _fwd = outbox.build(local, version=2)
    finally:
        local.close()
    assert raw[5] == 2 and own
    old_file = Path(tmp_path / "old.sauti")
    old_file.write_bytes(file_seal.seal(raw, public_key(parent)))
    first = cli("sync", "import", old_file, "--home", parent)
    assert f"new={len(captured)} known=0" in first.output
    assert counts(parent)["need"] == len(captured)

    new_file = tmp_path / "new.sauti"
    cli("sync", "export", new_file, "--home", child)
    opened = file_seal.unseal(new_file.read_bytes(), home.open_home(parent).signing_key())
    assert opened[5] == bundle.VERSION == 3
    again = cli("sync", "import", new_file, "--home", parent)
    assert f"new=0 known={len(captured)}" in again.output
    assert counts(parent)["need"] == len(captured)


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
    forged = Batch(
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
    batch = make_batch(
        [extra], signing_key=key, origin=ORIGIN, locality="KE", first=1, last=1
    )
    with pytest.raises(CorruptBundle, match="allow-list"):
        batch.records()


def test_invalid_values_are_refused(key):
    batch = make_batch(
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
