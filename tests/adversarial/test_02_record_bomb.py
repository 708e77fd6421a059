"""Attack 2: a 1 KB bundle whose columns of one-character values unpack into millions
of rows used to cost a parent many seconds of CPU and hundreds of MB. Record counts
are now capped and checked before anything is decoded (figures: BENCHMARKS.md)."""

import json

from sync import batch as batch_mod
from sync import bundle, inbox
from sync.errors import CorruptBundle
from tests.sync_helpers import counts

from . import forge
from .conftest import upload


def test_a_column_bomb_is_refused_before_decoding(family):
    me = forge.identity(family.a)
    raw = forge.column_bomb(me, 2_000_000)
    assert len(raw) < 4096
    local = family.local(family.a)
    try:
        answer = upload(family.client, local, raw)
    finally:
        local.close()
    assert answer.status_code == 400 and answer.get_json()["error"] == "corrupt_bundle"
    assert counts(family.region)["need"] == 0
    assert family.alerts()[0]["child"] == "Kangemi"


def test_counts_must_match_the_signed_header_before_rows_are_made(family):
    me = forge.identity(family.a)
    # within the byte budget, but the skeleton claims 40,000 rows for 1 announced record
    cols = {"seq": {"d": [1], "s": "#" * 40_000}}
    skeleton = json.dumps({"need": {"cols": cols, "n": 40_000}}).encode()
    raw = forge.bundle_of(me, [forge.raw_batch(me, skeleton, {"need": 1})])
    region = family.local(family.region)
    try:
        try:
            inbox.receive(region, raw)
            raise AssertionError("accepted")
        except CorruptBundle as exc:
            assert "header says" in exc.message
        # a header announcing more records than a batch may hold, or than its seqs allow
        for counts_, last in (({"need": batch_mod.MAX_BATCH_RECORDS + 1}, 10**6), ({"need": 5}, 2)):
            raw = forge.bundle_of(me, [forge.raw_batch(me, b"{}", counts_, last=last)])
            try:
                inbox.receive(region, raw)
                raise AssertionError("accepted")
            except CorruptBundle as exc:
                assert "announces" in exc.message
    finally:
        region.close()


def test_a_bundle_holds_at_most_max_records(family, monkeypatch):
    me = forge.identity(family.a)
    records = [("need", forge.need(s, me["locality"])) for s in range(1, 4)]
    raw = forge.bundle_of(me, [forge.batch(me, records[:2]), forge.batch(me, records[2:], first=3)])
    monkeypatch.setattr(bundle, "MAX_RECORDS", 2)
    region = family.local(family.region)
    try:
        try:
            inbox.receive(region, raw)
            raise AssertionError("accepted")
        except CorruptBundle as exc:
            assert "more than 2 records" in exc.message
        monkeypatch.setattr(bundle, "MAX_RECORDS", 3)
        assert inbox.receive(region, raw)["new"] == 3
    finally:
        region.close()


def test_deep_nesting_and_duplicate_seqs_are_refused_not_crashed(family):
    me = forge.identity(family.a)
    region = family.local(family.region)
    try:
        deep = ('{"need":{"cols":{"seq":' + '{"delta":' * 50_000 + "{}" + "}" * 50_000 + '},"n":1}}')
        twice = json.dumps(
            {"need": {"n": 2, "cols": {k: {"v": [v, v]} for k, v in forge.need(1, me["locality"]).items() if k not in ("origin", "text")}}}
        )
        for skeleton, first, last in ((deep, 1, 1), (twice, 1, 2)):
            counts_ = {"need": 1 if skeleton is deep else 2}
            raw = forge.bundle_of(
                me, [forge.raw_batch(me, skeleton.encode(), counts_, first=first, last=last)]
            )
            try:
                inbox.receive(region, raw)
                raise AssertionError("accepted")
            except CorruptBundle:
                pass
    finally:
        region.close()
    assert counts(family.region)["need"] == 0
