"""Attack 9: bits of the zstd frame header could flip without changing what it unpacks
to, so a changed file was accepted. Bundle format 3 signs the digest of the compressed
bytes (tests/test_sync_bundle.py walks every bit of a bundle); here every byte of a
real node's bundle, flipped, is refused by a real parent with nothing applied."""

from sync import inbox
from sync.errors import SyncError
from tests.sync_helpers import Capturer, counts

from .conftest import own_bundle


def test_every_flipped_byte_is_refused(family):
    Capturer(family.a).need(text="Kisima")
    raw = own_bundle(family.a)
    region = family.local(family.region)
    try:
        for pos in range(len(raw)):
            changed = raw[:pos] + bytes([raw[pos] ^ 0x10]) + raw[pos + 1 :]
            try:
                inbox.receive(region, changed)
            except SyncError:
                continue
            raise AssertionError(f"byte {pos} of {len(raw)} can change unnoticed")
        assert counts(family.region)["need"] == 0
        assert inbox.receive(region, raw)["new"] == 1
    finally:
        region.close()
