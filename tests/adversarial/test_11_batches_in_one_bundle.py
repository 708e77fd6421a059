"""Attack 11: the receiver looks up a bundle's batches all at once (a few queries per
bundle, not a few per batch), so what one bundle says about itself must be checked
as carefully as what it says against the store: the same batch twice, two different
batches of one origin over the same sequence numbers, and a clash hidden after the
first chunk of a long bundle."""

import pytest

from app.store import sync_inbox, sync_withhold
from app.store.db import index_lookups, is_postgres, rows_for, write
from sync import inbox
from sync.errors import IdentityConflict
from tests.engines import ENGINES
from tests.sync_helpers import counts

from . import forge

pytestmark = ENGINES


def one_need_batches(me, seqs, **fields):
    return [
        forge.batch(me, [("need", forge.need(s, me["locality"], **fields))], first=s, last=s)
        for s in seqs
    ]


def receive(family, raw):
    region = family.local(family.region)
    try:
        return inbox.receive(region, raw)
    finally:
        region.close()


def test_the_same_batch_twice_in_one_bundle_is_applied_once(family):
    me = forge.identity(family.a)
    first, second = one_need_batches(me, [1, 2])
    result = receive(family, forge.bundle_of(me, [first, second, first]))
    assert (result["new"], result["known"]) == (2, 1)
    assert counts(family.region)["need"] == 2


def test_two_batches_of_one_bundle_over_the_same_seqs_are_refused_whole(family):
    me = forge.identity(family.a)
    records = [("need", forge.need(s, me["locality"])) for s in (1, 2, 3)]
    whole = forge.batch(me, records, first=1, last=3)
    other = forge.batch(
        me, [("need", forge.need(3, me["locality"], supporters=9))], first=3, last=3
    )
    with pytest.raises(IdentityConflict, match="sequence numbers 3-3"):
        receive(family, forge.bundle_of(me, [whole, other]))
    assert counts(family.region)["need"] == 0
    assert family.alerts()[0]["kind"] == "identity_conflict"


@pytest.mark.parametrize("at", [0, 239])
def test_a_clash_anywhere_in_a_long_bundle_refuses_it_whole(family, at):
    me = forge.identity(family.a)
    seqs = list(range(1, 251))  # more batches than one lookup query carries
    assert receive(family, forge.bundle_of(me, one_need_batches(me, seqs)))["new"] == 250
    again = receive(family, forge.bundle_of(me, one_need_batches(me, seqs)))
    assert (again["new"], again["known"]) == (0, 250)

    forged = one_need_batches(me, seqs)
    forged[at] = one_need_batches(me, [seqs[at]], supporters=7)[0]
    forged += one_need_batches(me, [251])
    with pytest.raises(IdentityConflict, match=f"sequence numbers {at + 1}-{at + 1}"):
        receive(family, forge.bundle_of(me, forged))
    assert counts(family.region)["need"] == 250  # seq 251 came with the clash: not applied


def test_the_bundle_lookups_stay_index_lookups_after_the_store_grew(family):
    """Statistics taken while received_records held only enrolments once made
    PostgreSQL scan the table per listed value (minutes per bundle): the lookup
    join must be an index lookup by the key whatever the statistics say."""
    region = family.local(family.region)
    db = region.db
    try:
        with write(db):
            sync_inbox.insert_records(
                db, [("voucher", s, "enrolment", f"e{s}", b"h") for s in range(1, 5001)]
            )
        db.execute("ANALYZE received_records")
        with write(db):
            sync_inbox.insert_records(
                db,
                [(f"o{o}", s, "need", str(s), b"h") for o in range(200) for s in range(1, 101)],
            )
        pairs = [(f"o{o}", "7") for o in range(200)]
        sql = sync_withhold.versions_sql(db)  # the query the ingest runs
        marks = ", ".join("(?, ?)" for _ in pairs)
        params = [v for p in pairs for v in p] + ["need"]
        explain = "EXPLAIN " if is_postgres(db) else "EXPLAIN QUERY PLAN "
        with write(db), index_lookups(db):  # as inside an apply
            plan = [str(row[-1]) for row in db.execute(explain + sql.format(rows=marks), params)]
            assert len(rows_for(db, sql, pairs, params=["need"])) == 200
    finally:
        region.close()
    assert not any(
        "Seq Scan on received_records" in step or step.startswith("SCAN r") for step in plan
    ), plan
    # by its key: the primary key's prefix (origin) alone scanned all of an origin's
    # records per listed key, 28 s for a community's first bundle of 10,000 needs
    assert any("received_records_key" in step for step in plan), plan
