"""Removing a need (spam, or the citizen's erasure request): erased here,
hidden everywhere, refused for further changes, retracted at every level above."""

import json

import pytest

from app.node import home, settings
from app.store import aggregates, events, sync_state, triage
from app.store import needs as needs_store
from sync import inbox, outbox
from sync.local import Local
from tests.sync_helpers import Capturer, counts, node

from .conftest import csrf_token

TEXT = "Wezi wanaiba mifugo usiku. Mpigieni Juma 0722 333 444."


def capture(api_client, headers, **over):
    body = {"uuid": "0b8f9f1e-6a62-4f5a-9a77-3c2b1d0e9f11", "text": TEXT, "language": "sw",
            "category": "safety", "respondent": {"name": "Juma Otieno", "contact": "0722 333 444"},
            "consent": True}
    body.update(over)
    response = api_client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 201
    return response.json


@pytest.fixture
def removed(node_home, api, signed_in):
    client, headers = api("facilitator")
    need = capture(client, headers)
    council = signed_in("council")
    db = home.open_home(node_home).connect()
    need_id = needs_store.by_ref(db, need["ref"])["id"]
    db.close()
    response = council.post(
        f"/council/needs/{need_id}/remove",
        data={"reason": "erasure", "csrf_token": csrf_token(council, "/")},
    )
    assert response.status_code == 302
    return {"need": need, "id": need_id, "council": council, "api": (client, headers)}


def test_removal_erases_text_and_personal_data_and_logs_a_retraction(node_home, removed):
    db = home.open_home(node_home).connect()
    try:
        row = needs_store.by_id(db, removed["id"])
        assert row["removed"] == "erasure" and row["hidden"] and row["text"] == ""
        assert row["respondent"] is None
        last = events.since(db, 0)[-1]
        assert (last["kind"], last["record"]) == ("retraction", str(removed["id"]))
        assert json.loads(last["payload"]) == {"kind": "need", "reason": "erasure"}
        [entry] = [h for h in needs_store.history(db, removed["id"]) if h["action"] == "removed"]
        assert entry["changes"] == {"reason": "erasure"} and entry["role"] == "council"
        assert aggregates.drift(db) == 0
    finally:
        db.close()


def test_a_removed_need_is_gone_from_lists_and_counts(node_home, removed):
    client, headers = removed["api"]
    assert client.get("/api/v1/needs", headers=headers).json["total"] == 0
    assert client.get("/api/v1/needs?q=mifugo", headers=headers).json["total"] == 0
    db = home.open_home(node_home).connect()
    try:
        assert triage.queue(db, ("new",)) == [] and triage.queue(db, ("new",), hidden=True) == []
    finally:
        db.close()
    board = removed["council"].get("/board").get_data(as_text=True)
    assert removed["need"]["ref"] not in board


def test_the_status_page_says_removed_and_shows_nothing_of_it(client, removed):
    page = client.get(f"/status?ref={removed['need']['ref']}").get_data(as_text=True)
    assert "This need was removed." in page
    assert "mifugo" not in page and "Juma" not in page


def test_a_removed_need_cannot_change_any_more(removed, signed_in):
    council = removed["council"]
    token = csrf_token(council, "/")
    status = council.post(f"/council/needs/{removed['id']}/status",
                          data={"status": "accepted", "csrf_token": token})
    assert status.status_code == 409
    edit = council.post(f"/needs/{removed['need']['ref']}/edit", data={"csrf_token": token})
    assert edit.status_code == 409
    again = council.post(f"/council/needs/{removed['id']}/remove",
                         data={"reason": "spam", "csrf_token": token})
    assert again.status_code == 302
    page = council.get(f"/council/needs/{removed['id']}").get_data(as_text=True)
    assert "This need was removed" in page and "Remove this need" not in page


def test_removal_needs_a_known_reason_and_the_council_role(node_home, api, signed_in):
    client, headers = api("facilitator")
    need = capture(client, headers)
    db = home.open_home(node_home).connect()
    need_id = needs_store.by_ref(db, need["ref"])["id"]
    db.close()
    facilitator = signed_in("facilitator", "fac2")
    token = csrf_token(facilitator, "/")
    assert facilitator.post(f"/council/needs/{need_id}/remove",
                            data={"reason": "spam", "csrf_token": token}).status_code == 403
    council = signed_in("council", "c2")
    token = csrf_token(council, "/")
    assert council.post(f"/council/needs/{need_id}/remove",
                        data={"reason": "boring", "csrf_token": token}).status_code == 422


def test_removal_reaches_the_parent(tmp_path):
    child_path = node(tmp_path / "c", "C", "community", "KE/47/westlands/kangemi", share_text="scrubbed")
    parent_path = node(tmp_path / "p", "P", "region", "KE/47")
    stored = Capturer(child_path).need(text="Mifugo inaibiwa usiku kijijini.")
    child = Local.open(home.open_home(child_path))
    parent = Local.open(home.open_home(parent_path))
    try:
        sync_state.add_child(parent.db, "C", child.public_key)
        inbox.receive(parent, outbox.build(child)[0])
        assert counts(parent_path)["need"] == 1
        need_id = needs_store.by_uuid(child.db, stored["uuid"])["id"]
        needs_store.remove(child.db, need_id, reason="spam", user_id=None, role="council")
        inbox.receive(parent, outbox.build(child)[0])
        assert counts(parent_path)["need"] == 0
        [(reason,)] = parent.db.execute("SELECT reason FROM shared_tombstones").fetchall()
        assert reason == "spam"
    finally:
        child.close()
        parent.close()


def test_the_status_page_shows_the_council_response(node_home, api, client):
    from app.store import actions, priorities

    fclient, headers = api("facilitator")
    planned = capture(fclient, headers)
    aside = capture(fclient, headers, uuid="5d9a2f0e-1b3c-4d5e-8f70-9a1b2c3d4e5f", text="Barabara mbovu")
    db = home.open_home(node_home).connect()
    try:
        # every scrubbed text may leave (a parent would get the priority's title too)
        settings.set_value(db, "share_text", "scrubbed")
        council = {"id": None, "role": "council"}
        p_id = needs_store.by_ref(db, planned["ref"])["id"]
        a_id = needs_store.by_ref(db, aside["ref"])["id"]
        triage.change_status(db, p_id, "accepted", user=council)
        priority = priorities.create(db, title="Ulinzi wa mifugo, piga 0722 333 444", description="",
                                     goals=[16], locality="KE/47/westlands/kangemi", user=council,
                                     need_ids=[p_id])
        action = actions.create(db, priority, what="Doria za usiku", responsible="Chifu")
        actions.add_note(db, action, date="2026-11-20", note="Doria imeanza", user_id=None)
        triage.change_status(db, a_id, "set_aside", user=council, reason="out_of_remit")
    finally:
        db.close()
    page = client.get(f"/status?ref={planned['ref']}").get_data(as_text=True)
    assert "What the council did" in page and "Ulinzi wa mifugo" in page
    assert "Doria imeanza" in page and "0722 333 444" not in page
    aside_page = client.get(f"/status?ref={aside['ref']}").get_data(as_text=True)
    assert "out of the council" in aside_page
