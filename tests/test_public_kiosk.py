"""The citizen kiosk: public, off by default, hidden needs, honeypot, limits."""

import re

import pytest

from app.node import home, settings
from app.store import events, intake
from app.store import needs as store

from .conftest import add_user, csrf_token


def _db(node_home):
    return home.open_home(node_home).connect()


def _set(node_home, key, value):
    db = _db(node_home)
    try:
        settings.set_value(db, key, value)
    finally:
        db.close()


def _needs(node_home):
    db = _db(node_home)
    try:
        return list(db.query("SELECT * FROM needs ORDER BY id"))
    finally:
        db.close()


@pytest.fixture
def kiosk_on(node_home):
    _set(node_home, "kiosk", "on")


def _form(client, **fields):
    page = client.get("/kiosk").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(client, "/kiosk"),
        "uuid": re.search(r'name="uuid" value="([^"]+)"', page).group(1),
        "text": "Kisima kimeharibika, tunahitaji maji safi.",
        "language": "sw",
        "category": "water",
    }
    data.update(fields)
    return data


def test_kiosk_is_off_by_default(client, node_home):
    assert client.get("/kiosk").status_code == 404
    response = client.post("/kiosk", data={"text": "hello"})
    assert response.status_code in (400, 404)  # CSRF or off: nothing stored either way
    token = csrf_token(client)
    response = client.post("/kiosk", data={"text": "hello", "language": "en", "csrf_token": token})
    assert response.status_code == 404
    assert _needs(node_home) == []


def test_kiosk_page_has_tiles_honeypot_and_no_respondent_fields(client, kiosk_on):
    response = client.get("/kiosk")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert "cat-water.svg" in page and 'name="category"' in page
    honeypot = re.search(r'<div class="kiosk-hp"[^>]*>.*?</div>', page, re.DOTALL).group(0)
    assert 'name="website"' in honeypot and 'tabindex="-1"' in honeypot
    assert "style=" not in page and "<script" not in page
    assert "respondent" not in page and 'name="consent"' not in page


def test_kiosk_stores_a_hidden_self_need_and_shows_its_code(client, node_home, kiosk_on):
    data = _form(client, gender="female", age_band="15-24", groups=["disability", "migrant"])
    data["respondent_name"] = "Mary Achieng"  # not a kiosk field: ignored
    response = client.post("/kiosk", data=data)
    assert response.status_code == 200
    [need] = _needs(node_home)
    assert need["channel"] == "self" and need["hidden"] == 1
    assert need["text"] == data["text"] and need["language"] == "sw"
    assert need["gender"] == "female" and need["age_band"] == "15-24"
    assert need["groups"] == '["disability", "migrant"]'
    assert need["respondent_name"] is None and need["captured_by"] is None
    assert need["ref"] in response.get_data(as_text=True)
    db = _db(node_home)
    try:
        assert events.last_seq(db) == 0  # hidden: nothing to sync until accepted
    finally:
        db.close()
    # The same form sent again (reload) stores nothing new.
    again = client.post("/kiosk", data=data)
    assert again.status_code == 200 and need["ref"] in again.get_data(as_text=True)
    assert len(_needs(node_home)) == 1


def test_honeypot_pretends_success_and_stores_nothing(client, node_home, kiosk_on):
    response = client.post("/kiosk", data=_form(client, website="http://spam.example"))
    assert response.status_code == 200
    assert re.search(r'class="ref-code"[^>]*>[A-Z0-9-]{6,}<', response.get_data(as_text=True))
    assert _needs(node_home) == []


def test_kiosk_size_limit_and_empty_text(client, node_home, kiosk_on):
    long = client.post("/kiosk", data=_form(client, text="x" * 2001))
    assert long.status_code == 422
    assert "at most 2000 characters" in long.get_data(as_text=True)
    empty = client.post("/kiosk", data=_form(client, text="   "))
    assert empty.status_code == 422
    bad = client.post("/kiosk", data=_form(client, category="weather"))
    assert bad.status_code == 422
    assert _needs(node_home) == []
    ok = client.post("/kiosk", data=_form(client, text="y" * 2000))
    assert ok.status_code == 200 and len(_needs(node_home)) == 1


def test_kiosk_posts_are_rate_limited_per_address(client, node_home, kiosk_on, app):
    token = csrf_token(client, "/kiosk")
    for i in range(20):
        data = {"csrf_token": token, "text": f"need number {i}", "language": "en"}
        assert client.post("/kiosk", data=data).status_code == 200
    refused = client.post(
        "/kiosk", data={"csrf_token": token, "text": "one more", "language": "en"}
    )
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert len(_needs(node_home)) == 20
    assert client.get("/kiosk").status_code == 200  # reading the page is not limited
    other = app.test_client()
    token2 = csrf_token(other, "/kiosk")
    other_addr = {"REMOTE_ADDR": "10.0.0.9"}
    ok = other.post(
        "/kiosk",
        data={"csrf_token": token2, "text": "from elsewhere", "language": "en"},
        environ_base=other_addr,
    )
    assert ok.status_code == 200


def test_accept_kiosk_need_unhides_records_history_and_event(client, node_home, kiosk_on):
    client.post("/kiosk", data=_form(client))
    [need] = _needs(node_home)
    council = add_user(node_home, "amina", "council")
    db = _db(node_home)
    try:
        accepted = intake.accept_kiosk_need(db, need["id"], {"id": council, "role": "council"})
        assert accepted["hidden"] is False
        assert store.by_id(db, need["id"])["hidden"] is False
        [history] = list(db.query("SELECT * FROM need_history WHERE need_id = ?", [need["id"]]))
        assert history["action"] == "accept_kiosk" and history["user_id"] == council
        [event] = events.since(db, 0)
        assert (event["kind"], event["record"]) == ("need", str(need["id"]))
        # Accepting again changes nothing and logs nothing.
        intake.accept_kiosk_need(db, need["id"], {"id": council, "role": "council"})
        assert events.last_seq(db) == event["seq"]
        assert intake.accept_kiosk_need(db, 9999, None) is None
    finally:
        db.close()
