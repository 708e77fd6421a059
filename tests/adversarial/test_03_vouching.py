"""Attack 3: an enrolled community forged an enrolment record for a sibling's node id
(with its own key), so the parent stored and forwarded records as the sibling's and
then refused the real sibling as a clone. A child may now vouch only for nodes of its
own subtree; ids and keys enrolled at this parent cannot be claimed."""

import pytest

from app.store import sync_inbox
from sync import inbox
from sync.errors import IdentityConflict
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, counts, enrol, node, node_id, public_key

from . import forge
from .conftest import own_bundle

pytestmark = ENGINES


def enrolment(seq, child_id, child_key, locality, level="community"):
    return {
        "origin": "", "seq": seq, "key": child_id, "public_key": child_key,
        "locality": locality, "level": level,
    }


def test_a_community_cannot_claim_its_siblings_id(family):
    me = forge.identity(family.a)
    sibling = node_id(family.b)
    forged_key = public_key(family.a)  # any key the attacker holds
    records = [
        ("enrolment", enrolment(1, sibling, forged_key, me["locality"] + "/x")),
        ("need", forge.need(2, me["locality"])),
    ]
    raw = forge.bundle_of(me, [forge.batch(me, records)])
    region = family.local(family.region)
    try:
        with pytest.raises(IdentityConflict, match="cannot be below"):
            inbox.receive(region, raw)
        assert sync_inbox.node(region.db, sibling) is None
    finally:
        region.close()
    assert [a["child"] for a in family.alerts()] == ["Kangemi"]

    Capturer(family.b).need(text="Hitaji la kweli", locality="KE/47/westlands/kawangware")
    region = family.local(family.region)
    try:
        assert inbox.receive(region, own_bundle(family.b))["new"] >= 1
    finally:
        region.close()
    assert counts(family.region)["need"] == 1


def test_a_relay_cannot_claim_a_node_enrolled_here(family, tmp_path):
    district = node(tmp_path / "d", "Westlands", "district", "KE/47/westlands")
    enrol(family.region, district, "Westlands")
    me = forge.identity(district)
    region = family.local(family.region)
    try:
        # B is enrolled at the region by its key: the district cannot vouch for that key,
        # under B's id or under any other
        for claimed_id in (node_id(family.b), "someone-else"):
            records = [
                ("enrolment", enrolment(1, claimed_id, public_key(family.b), "KE/47/westlands/kw"))
            ]
            raw = forge.bundle_of(me, [forge.batch(me, records)])
            with pytest.raises(IdentityConflict, match="enrolled at this node"):
                inbox.receive(region, raw)
        # nor this node's own id
        records = [
            ("enrolment", enrolment(1, region.node_id, public_key(family.a), "KE/47/westlands/x"))
        ]
        with pytest.raises(IdentityConflict, match="own id"):
            inbox.receive(region, forge.bundle_of(me, [forge.batch(me, records)]))
    finally:
        region.close()


def test_a_node_already_vouched_for_by_another_child_cannot_be_claimed(family, tmp_path):
    d1 = node(tmp_path / "d1", "Westlands", "district", "KE/47/westlands")
    d2 = node(tmp_path / "d2", "Dagoretti", "district", "KE/47/dagoretti")
    enrol(family.region, d1, "Westlands")
    enrol(family.region, d2, "Dagoretti")
    grandchild = node(tmp_path / "g", "Gatina", "community", "KE/47/westlands/gatina")
    gid, gkey = node_id(grandchild), public_key(grandchild)
    one, two = forge.identity(d1), forge.identity(d2)
    region = family.local(family.region)
    try:
        first = [("enrolment", enrolment(1, gid, gkey, "KE/47/westlands/gatina"))]
        inbox.receive(region, forge.bundle_of(one, [forge.batch(one, first)]))
        claim = [("enrolment", enrolment(1, gid, gkey, "KE/47/dagoretti/gatina"))]
        with pytest.raises(IdentityConflict, match="already vouched for"):
            inbox.receive(region, forge.bundle_of(two, [forge.batch(two, claim)]))
        assert sync_inbox.node(region.db, gid)["vouched_by"] == one["node_id"]
    finally:
        region.close()
