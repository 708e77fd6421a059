"""Triage: every status transition (allowed ones recorded, others refused),
merge and un-merge preserving supporters, kiosk needs, SMS texts."""

import itertools
import json
import re

import pytest

from app.council import sms
from app.store import triage
from app.store.triage import TriageError
from schema.vocab import STATUSES

from .conftest import add_token
from .council_helpers import capture, csrf, db_of, need_id, user_of

# The contract's lifecycle, written out independently of the code's table.
EXPECTED = {
    ("new", "accepted"),
    ("new", "set_aside"),
    ("accepted", "planned"),
    ("accepted", "set_aside"),
    ("set_aside", "new"),
    ("planned", "resolved"),
    ("planned", "accepted"),
    ("resolved", "accepted"),
}
MERGEABLE = {"new", "accepted"}


@pytest.fixture
def setup(node_home, app, signed_in):
    client = signed_in("council", "cm")
    add_token(node_home, "fac", "facilitator")
    token = add_token(node_home, "fac")
    api_client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    db = db_of(node_home)
    yield {"client": client, "api": (api_client, headers), "db": db, "user": user_of(db, "cm")}
    db.close()


def _new(setup, text="Hakuna maji kisimani", **fields) -> int:
    need = capture(*setup["api"], text, **fields)
    return need_id(setup["db"], need["ref"])


def _force(db, nid, status):
    db.execute("UPDATE needs SET status = ? WHERE id = ?", [status, nid])


def _counts(db, nid):
    history = db.execute("SELECT count(*) FROM need_history WHERE need_id = ?", [nid]).fetchone()[0]
    events = db.execute(
        "SELECT count(*) FROM events WHERE kind = 'need_status' AND record = ?", [str(nid)]
    ).fetchone()[0]
    return history, events


def test_the_code_table_is_the_contract_lifecycle():
    table = {(a, b) for a, targets in triage.TRANSITIONS.items() for b in targets}
    assert table - {(s, "merged") for s in MERGEABLE} == EXPECTED
    assert {(s, "merged") for s in MERGEABLE} <= table


def test_every_transition_is_recorded_or_refused(setup):
    """All 36 (old, new) pairs, each on a fresh need."""
    db = setup["db"]
    for old, new in itertools.product(STATUSES, STATUSES):
        nid = _new(setup, f"need {old} {new}")
        _force(db, nid, old)
        before = _counts(db, nid)
        if (old, new) in EXPECTED:
            reason = "out_of_remit" if new == "set_aside" else None
            need = triage.change_status(db, nid, new, user=setup["user"], reason=reason, note="n")
            assert need["status"] == new, (old, new)
            history, events = _counts(db, nid)
            assert (history, events) == (before[0] + 1, before[1] + 1), (old, new)
            row = triage.history(db, nid)[-1]
            assert row["action"] == "status" and row["changes"]["status"] == [old, new]
            assert row["user_id"] == setup["user"]["id"] and row["role"] == "council"
            if new == "set_aside":
                assert row["changes"]["reason"] == [None, "out_of_remit"]
        else:
            with pytest.raises(TriageError):
                triage.change_status(db, nid, new, user=setup["user"], reason="other")
            status = db.execute("SELECT status FROM needs WHERE id = ?", [nid]).fetchone()[0]
            assert status == old and _counts(db, nid) == before, (old, new)


def test_setting_aside_needs_a_reason(setup):
    nid = _new(setup)
    with pytest.raises(TriageError, match="reason_required"):
        triage.change_status(setup["db"], nid, "set_aside", user=setup["user"])


def test_a_refused_change_is_a_clear_409_page(setup):
    client, nid = setup["client"], _new(setup)
    token = csrf(client)
    response = client.post(
        f"/council/needs/{nid}/status", data={"status": "resolved", "csrf_token": token}
    )
    assert response.status_code == 409
    assert "cannot become" in response.get_data(as_text=True)
    ok = client.post(
        f"/council/needs/{nid}/status",
        data={"status": "set_aside", "reason": "not_enough_information", "csrf_token": token},
    )
    assert ok.status_code == 302
    page = client.get(f"/council/needs/{nid}").get_data(as_text=True)
    assert "not enough information" in page and "cm" in page  # the history shows who and why


def test_only_council_may_triage(node_home, app, signed_in):
    client = signed_in("analyst")
    assert client.get("/council/").status_code == 403
    assert client.get("/council/priorities").status_code == 403
    assert client.get("/council/dashboard").status_code == 200


def _supporters(db, nid):
    return db.execute("SELECT supporters FROM needs WHERE id = ?", [nid]).fetchone()[0]


def test_merge_and_unmerge_preserve_supporters_with_two_merged_into_one(setup):
    db, user = setup["db"], setup["user"]
    b = _new(setup, "No water at the borehole", supporters=5)
    a1 = _new(setup, "The borehole has no water", supporters=3)
    a2 = _new(setup, "no water at borehole!!", supporters=7)
    triage.change_status(db, a2, "accepted", user=user)
    triage.merge(db, a1, b, user=user)
    triage.merge(db, a2, b, user=user)
    assert _supporters(db, b) == 15
    assert [n["id"] for n in triage.merged_into(db, b)] == [a1, a2]
    row = db.execute("SELECT status, merged_into FROM needs WHERE id = ?", [a2]).fetchone()
    assert tuple(row) == ("merged", b)
    # un-merge the first one merged: the other stays merged, supporters exact
    triage.unmerge(db, a1, user=user)
    assert _supporters(db, b) == 12
    assert db.execute("SELECT status, merged_into FROM needs WHERE id = ?", [a1]).fetchone()[:] == (
        "new",
        None,
    )
    triage.unmerge(db, a2, user=user)
    assert _supporters(db, b) == 5
    assert db.execute("SELECT status FROM needs WHERE id = ?", [a2]).fetchone()[0] == "accepted"
    assert _supporters(db, a1) == 3 and _supporters(db, a2) == 7
    # merging again after an un-merge works, and un-merging twice is refused
    triage.merge(db, a1, b, user=user)
    assert _supporters(db, b) == 8
    triage.unmerge(db, a1, user=user)
    with pytest.raises(TriageError, match="not_merged"):
        triage.unmerge(db, a1, user=user)
    assert _supporters(db, b) == 5


def test_merge_chain_and_refusals(setup):
    db, user = setup["db"], setup["user"]
    a, b, c = (_new(setup, t, supporters=s) for t, s in (("a", 2), ("b", 3), ("c", 4)))
    with pytest.raises(TriageError, match="merge_into_itself"):
        triage.merge(db, a, a, user=user)
    triage.merge(db, a, b, user=user)
    with pytest.raises(TriageError, match="bad_merge_target"):
        triage.merge(db, c, a, user=user)  # a is merged
    triage.merge(db, b, c, user=user)  # b carries a's supporters along
    assert _supporters(db, c) == 9
    with pytest.raises(TriageError, match="target_merged"):
        triage.unmerge(db, a, user=user)  # b must come out of c first
    triage.unmerge(db, b, user=user)
    triage.unmerge(db, a, user=user)
    assert (_supporters(db, a), _supporters(db, b), _supporters(db, c)) == (2, 3, 4)
    with pytest.raises(TriageError, match="use_merge"):
        triage.change_status(db, a, "merged", user=user)


def test_merge_through_the_pages_by_reference_code(setup):
    client, db = setup["client"], setup["db"]
    target = capture(*setup["api"], "Shule haina walimu", supporters=2)
    dup = capture(*setup["api"], "shule haina mwalimu", supporters=4)
    token = csrf(client)
    response = client.post(
        f"/council/needs/{need_id(db, dup['ref'])}/merge",
        data={"into_ref": target["ref"].lower(), "csrf_token": token},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert dup["ref"] in page and "Un-merge" in page
    assert _supporters(db, need_id(db, target["ref"])) == 6
    events = [
        json.loads(r[0])
        for r in db.execute(
            "SELECT payload FROM events WHERE kind = 'need_status' AND record = ?",
            [str(need_id(db, dup["ref"]))],
        )
    ]
    assert events == [{"from": "new", "to": "merged"}]


def test_kiosk_needs_wait_in_their_own_group_and_accepting_makes_them_visible(setup):
    db, client = setup["db"], setup["client"]
    visible = _new(setup, "Barabara ni mbovu")
    kiosk = _new(setup, "Kiosk: hakuna umeme sokoni")
    db.execute("UPDATE needs SET hidden = 1, channel = 'self' WHERE id = ?", [kiosk])
    page = client.get("/council/").get_data(as_text=True)
    kiosk_part = page.split('id="kiosk"')[1].split("</section>")[0]
    assert "hakuna umeme sokoni" in kiosk_part and "Barabara" not in kiosk_part
    token = csrf(client)
    seq = db.execute("SELECT max(seq) FROM events").fetchone()[0]
    response = client.post(f"/council/needs/{kiosk}/accept-kiosk", data={"csrf_token": token})
    assert response.status_code == 302
    row = db.execute("SELECT hidden, status FROM needs WHERE id = ?", [kiosk]).fetchone()
    assert tuple(row) == (0, "accepted")
    kinds = [
        r[0]
        for r in db.execute(
            "SELECT kind FROM events WHERE record = ? AND seq > ?", [str(kiosk), seq]
        )
    ]
    assert kinds == ["need", "need_status"]  # made visible (intake), then accepted
    assert 'id="kiosk"' not in client.get("/council/").get_data(as_text=True)
    assert visible


@pytest.mark.parametrize(
    "text, limit",
    [("Habari " * 40, 160), ("مرحبا " * 40, 70), ("{}" * 100, 160), ("水" * 90, 70)],
)
def test_sms_texts_fit_one_message(text, limit):
    fitted = sms.fit(text)
    used, allowed = sms.sms_length(fitted)
    assert allowed == limit and used <= limit and fitted != text


def test_the_need_page_offers_an_sms_per_status_change(setup):
    db, client = setup["db"], setup["client"]
    need = capture(*setup["api"], "Hakuna dawa zahanati", language="sw")
    nid = need_id(db, need["ref"])
    triage.change_status(db, nid, "accepted", user=setup["user"])
    triage.change_status(db, nid, "set_aside", user=setup["user"], reason="already_done")
    page = client.get(f"/council/needs/{nid}").get_data(as_text=True)
    sms_part = page.split('id="sms"')[1].split("</section>")[0]
    texts = re.findall(r"<textarea[^>]*>([^<]*)</textarea>", sms_part)
    assert len(texts) == 2 and all(need["ref"] in t for t in texts)
    # In the need's language (Kiswahili has a catalog): the set-aside reason is translated.
    assert "tayari limeshughulikiwa" in texts[0] and "already done" not in texts[0]
    assert all(sms.sms_length(t)[0] <= 160 for t in texts)
