"""The public status lookup: by reference code, scrubbed text only, rate-limited."""

import html
import json
import re
import uuid

import pytest

from app.node import home, settings
from app.public.views import normalize_ref

from .conftest import csrf_token, sample_needs

SAMPLE = sample_needs()
SEPARATORS = re.compile(r"[\s\-().]")


def _capture(client, headers, record) -> dict:
    body = {k: v for k, v in record.items() if k != "pii"}
    body["uuid"] = str(uuid.uuid4())
    body["captured_at"] = "2026-11-24T09:30:00+03:00"
    response = client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _lookup(client, ref, addr="127.0.0.1"):
    return client.get("/status", query_string={"ref": ref}, environ_base={"REMOTE_ADDR": addr})


def _visible(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_normalize_ref():
    assert normalize_ref(" kan-4f7 qxm ") == "KAN-4F7QXM"
    assert normalize_ref("KAN4F7QXM") == "KAN-4F7QXM"
    assert normalize_ref("ｋａｎ－４ｆ７ｑｘｍ") == "KAN-4F7QXM"  # full-width input
    assert normalize_ref("4f7.qxm") == "4F7QXM"
    assert normalize_ref("") == ""


def _share_text(node_home, value: str) -> None:
    db = home.open_home(node_home).connect()
    try:
        settings.set_value(db, "share_text", value)
    finally:
        db.close()


def test_lookup_shows_status_and_scrubbed_text_never_personal_data(api, node_home):
    _share_text(node_home, "scrubbed")  # every scrubbed text may leave, so it shows
    client, headers = api("facilitator")
    for n, record in enumerate(SAMPLE):
        stored = _capture(client, headers, record)
        ref = stored["ref"]
        typed = ref.lower().replace("-", " ") if n % 2 else ref
        response = _lookup(client, typed, addr=f"10.1.0.{n + 1}")
        assert response.status_code == 200
        page = _visible(response)
        assert ref in page
        assert "new" in page  # status label
        compact = SEPARATORS.sub("", page)
        for secret in record["pii"]:
            assert secret not in page, (record["language"], secret)
            assert SEPARATORS.sub("", secret) not in compact, (record["language"], secret)
        respondent = record.get("respondent") or {}
        for value in respondent.values():
            assert value not in page
        if not record["pii"]:
            assert record["text"] in page  # nothing to scrub: the text as typed
        else:
            assert "<mark lang=" in response.get_data(as_text=True)  # placeholders marked
        assert f'lang="{record["language"]}"' in page


def test_lookup_shows_no_text_a_parent_would_not_receive(api, node_home):
    """share_text=reviewed (the default): an unchecked text stays home, so the status
    page shows none of it; once checked it shows exactly the shared form."""
    client, headers = api("facilitator")
    record = {"text": "Ask Peter Banda about the borehole, 0745_112_250", "language": "en",
              "category": "water", "respondent": {"name": "Peter Banda",
              "contact": "0745 112 250"}, "consent": True}
    stored = _capture(client, headers, record)
    page = _visible(_lookup(client, stored["ref"], addr="10.9.0.1"))
    assert stored["ref"] in page and "borehole" not in page and "Peter" not in page
    db = home.open_home(node_home).connect()
    try:
        from app.store import needs as needs_store

        need = needs_store.by_uuid(db, stored["uuid"])
        needs_store.mark_text_checked(db, need["id"])
        from sync.anonymize import Anonymizer

        shared = Anonymizer(db).need(str(need["id"]), 1)["text"]
    finally:
        db.close()
    page = _visible(_lookup(client, stored["ref"], addr="10.9.0.2"))
    assert shared == "Ask [name] about the borehole, [contact]"
    assert "Ask [name] about the borehole, [contact]" in re.sub(r"<[^>]+>", "", page)


def test_lookup_is_case_space_and_dash_tolerant(api):
    client, headers = api("facilitator")
    ref = _capture(client, headers, SAMPLE[2])["ref"]
    prefix, body = ref.split("-")
    for typed in (ref, ref.lower(), f" {prefix.lower()} {body[:3]} {body[3:]} ", prefix + body):
        assert _lookup(client, typed).status_code == 200, typed
    missing = _lookup(client, prefix + "-22222Z")
    assert missing.status_code == 404
    assert "No need has this reference code" in missing.get_data(as_text=True)
    lookalike = _lookup(client, prefix + "-0O1IL2")
    assert lookalike.status_code == 404 and "never contain" in lookalike.get_data(as_text=True)


def test_status_changes_are_listed(api, node_home):
    client, headers = api("facilitator")
    stored = _capture(client, headers, SAMPLE[0])
    db = home.open_home(node_home).connect()
    try:
        need_id = db.execute("SELECT id FROM needs WHERE ref = ?", [stored["ref"]]).fetchone()[0]
        db.execute(
            "UPDATE needs SET status = 'planned', updated_at = '2027-02-03T10:00:00+00:00' "
            "WHERE id = ?",
            [need_id],
        )
        for at, old, new in (
            ("2027-01-10", "new", "accepted"),
            ("2027-02-03", "accepted", "planned"),
        ):
            db.execute(
                "INSERT INTO need_history(need_id, at, action, changes) VALUES (?, ?, 'triage', ?)",
                [need_id, at + "T10:00:00+00:00", json.dumps({"status": [old, new]})],
            )
        db.execute(
            "INSERT INTO need_history(need_id, at, action, changes) VALUES (?, ?, 'edit', ?)",
            [need_id, "2027-01-11T10:00:00+00:00", json.dumps({"text": ["a", "b"]})],
        )
    finally:
        db.close()
    page = _visible(_lookup(client, stored["ref"]))
    assert "planned" in page and "accepted" in page
    assert "Feb 3, 2027" in page  # last updated, date only
    assert "10:00" not in page
    assert page.count("<li>") >= 3  # received, accepted, planned


def test_hidden_kiosk_need_says_waiting_without_text(client, node_home):
    db = home.open_home(node_home).connect()
    try:
        settings.set_value(db, "kiosk", "on")
    finally:
        db.close()
    text = "Tunahitaji taa za barabarani sokoni."
    client.post(
        "/kiosk", data={"csrf_token": csrf_token(client, "/kiosk"), "text": text, "language": "sw"}
    )
    db = home.open_home(node_home).connect()
    try:
        ref = db.execute("SELECT ref FROM needs").fetchone()[0]
    finally:
        db.close()
    page = _visible(_lookup(client, ref))
    assert "waiting for review" in page
    assert text not in page


def test_lookups_are_rate_limited_per_address(client):
    for _ in range(10):
        assert _lookup(client, "KAN-222222").status_code == 404
    refused = _lookup(client, "KAN-222222")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert client.get("/status").status_code == 200  # the empty form is not a lookup
    assert _lookup(client, "KAN-222222", addr="10.9.9.9").status_code == 404


@pytest.mark.parametrize("accept, direction", [("ar", "rtl"), ("sw", "ltr")])
def test_status_page_follows_the_visitors_language(client, accept, direction):
    page = client.get("/status", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{accept}" dir="{direction}">' in page
