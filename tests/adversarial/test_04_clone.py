"""Attack 4: a clone's first push used to be taken for a restore and accepted, its
records replacing the original's; afterwards the legitimate box was refused. A box
behind the parent is now accepted only after a real 'sauti restore' (it says so in
its signed hello); a clone is an identity conflict from its first push, with an alert."""

import shutil

from app.node import home
from app.store import sync_state
from sync import http_push
from tests.engines import ENGINES
from tests.sync_helpers import Capturer, counts

from .conftest import own_bundle, upload

pytestmark = ENGINES


def hello(family, path):
    local = family.local(path)
    try:
        msg = {
            "type": "hello",
            "batched": sync_state.batched_seq(local.db),
            "restores": int(sync_state.get(local.db, "restores") or 0),
        }
        return family.client.post("/api/v1/sync/hello", json=http_push._signed(local, msg))
    finally:
        local.close()


def push_all(family, path):
    assert hello(family, path).status_code == 200
    local = family.local(path)
    try:
        answer = upload(family.client, local, own_bundle(path))
    finally:
        local.close()
    assert answer.status_code == 200, answer.get_json()


def test_a_clone_is_refused_from_its_first_push(family):
    Capturer(family.a).need(text="Kwanza")
    push_all(family, family.a)
    clone = family.tmp / "clone"
    shutil.copytree(family.a, clone)
    Capturer(family.a).need(text="Ya pili")
    push_all(family, family.a)

    Capturer(clone).need(text="Ya nakala")
    refused = hello(family, clone)
    assert refused.status_code == 409 and refused.get_json()["error"] == "identity_conflict"
    alerts = family.alerts()
    assert alerts[0]["kind"] == "identity_conflict" and alerts[0]["child"] == "Kangemi"
    assert "sauti restore" in alerts[0]["message"]
    assert counts(family.region)["need"] == 2  # the original's records stand


def test_a_real_restore_is_let_through_once_per_restore(family):
    Capturer(family.a).need(text="Kwanza")
    push_all(family, family.a)
    copy = family.tmp / "copy"
    shutil.copytree(family.a, copy)
    Capturer(family.a).need(text="Ya pili")
    push_all(family, family.a)
    # what 'sauti restore' records in the restored database (tests/test_sync_e2e.py runs
    # the real command); a second box copied from the restored one does not pass again
    db = home.open_home(copy).connect()
    try:
        sync_state.put(db, restores=1)
    finally:
        db.close()
    twin = family.tmp / "twin"
    shutil.copytree(copy, twin)
    assert hello(family, copy).status_code == 200
    assert hello(family, twin).status_code == 409
