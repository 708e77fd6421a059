"""Retractions delete a record at the parent, in either arrival order, and a late
older copy cannot bring it back."""

import json

from app.node import home
from app.store import events, sync_state
from sync import inbox, outbox
from sync.local import Local
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, counts, node

pytestmark = ENGINES


def test_retraction_removes_the_record_in_any_order(tmp_path):
    child_path = node(
        tmp_path / "c", "C", "community", "KE/47/westlands/kangemi", share_text="scrubbed"
    )
    parent_path = node(tmp_path / "p", "P", "region", "KE/47")
    stored = Capturer(child_path).need(text="Maji machafu")
    child = Local.open(home.open_home(child_path))
    parent = Local.open(home.open_home(parent_path))
    try:
        sync_state.add_child(parent.db, "C", child.public_key)
        first = outbox.build(child)[0]  # the need
        need_id = child.db.execute(
            "SELECT id FROM needs WHERE uuid = ?", [stored["uuid"]]
        ).fetchone()[0]
        events.append(
            child.db, "retraction", need_id, json.dumps({"kind": "need", "reason": "erasure"})
        )
        second = outbox.build(child)[0]  # need batch again + the retraction batch
        inbox.receive(parent, second)
        assert counts(parent_path)["need"] == 0
        inbox.receive(parent, first)  # the older copy arrives late: stays deleted
        assert counts(parent_path)["need"] == 0
        [(kind, key, reason)] = parent.db.execute(
            "SELECT kind, key, reason FROM shared_tombstones"
        ).fetchall()
        assert (kind, key, reason) == ("need", str(need_id), "erasure")
    finally:
        child.close()
        parent.close()
