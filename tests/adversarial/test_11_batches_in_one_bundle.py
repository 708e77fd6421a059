"""Attack 11: the receiver looks up a bundle's batches all at once (a few queries per
bundle, not a few per batch), so what one bundle says about itself must be checked
as carefully as what it says against the store: the same batch twice, two different
batches of one origin over the same sequence numbers, and a clash hidden after the
first chunk of a long bundle."""

import pytest

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
    other = forge.batch(me, [("need", forge.need(3, me["locality"], supporters=9))], first=3, last=3)
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
