"""The shared-tablet quick switch: a PIN (argon2id) only on the device and the
day of a password sign-in, two taps to switch, 5 wrong PINs close the device
until a password sign-in, idle lock, and signed-in pages never kept (no-store)."""

import re
import time
from types import SimpleNamespace

import pytest

from app.auth import quick_switch
from app.node import home, settings
from app.store import users

from .conftest import add_user, csrf_token, login


def token(client, path="/switch") -> str:
    return csrf_token(client, path)  # the page's csrf-token meta


def set_pin(client, pin="2468", again=None):
    return client.post(
        "/switch/pin",
        data={"csrf_token": token(client, "/switch/pin"), "pin": pin, "pin_again": again or pin},
    )


def lock(client):
    response = client.post("/switch/lock", data={"csrf_token": token(client, "/")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/switch")


def unlock(client, user_id: int, pin: str):
    return client.post(
        f"/switch/{user_id}", data={"csrf_token": token(client, f"/switch/{user_id}"), "pin": pin}
    )


def db_of(node_home):
    return home.open_home(node_home).connect()


@pytest.fixture
def tablet(node_home, app):
    """One tablet (one browser, one device cookie) with two facilitators' PINs."""
    ids = {name: add_user(node_home, name, "facilitator") for name in ("amina", "baraka")}
    client = app.test_client()
    for name, pin in (("amina", "2468"), ("baraka", "13579")):
        assert login(client, name).status_code == 302
        assert set_pin(client, pin).status_code == 303
        lock(client)
    return client, ids


def signed_in_as(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"<span>([^<]+) · ", page)
    return match.group(1) if match else None


def test_two_taps_switch_between_facilitators(tablet, node_home):
    client, ids = tablet
    screen = client.get("/switch").get_data(as_text=True)
    assert f'href="/switch/{ids["amina"]}"' in screen and f'href="/switch/{ids["baraka"]}"' in screen
    assert signed_in_as(client) is None
    assert unlock(client, ids["amina"], "2468").status_code == 303
    assert signed_in_as(client) == "amina"
    assert 'data-lock-form' in client.get("/").get_data(as_text=True)
    lock(client)
    assert signed_in_as(client) is None
    assert unlock(client, ids["baraka"], "13579").status_code == 303
    assert signed_in_as(client) == "baraka"
    db = db_of(node_home)
    hashes = [r["pin_hash"] for r in db.query("SELECT pin_hash FROM device_signins")]
    db.close()
    assert len(hashes) == 2 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any("2468" in h or "13579" in h for h in hashes)


def test_five_wrong_pins_close_the_tablet_until_a_password_sign_in(tablet):
    client, ids = tablet
    for attempt in range(1, 5):
        response = unlock(client, ids["amina"], "0000")
        assert response.status_code == 401
        assert f"{5 - attempt} more tries" in response.get_data(as_text=True)
    assert unlock(client, ids["baraka"], "abcd").status_code == 403  # the 5th, any user
    assert "quick switch is closed" in client.get("/switch").get_data(as_text=True)
    assert unlock(client, ids["amina"], "2468").status_code == 403  # even the right PIN
    assert signed_in_as(client) is None
    assert login(client, "baraka").status_code == 302  # a password sign-in reopens it
    lock(client)
    assert unlock(client, ids["amina"], "2468").status_code == 303
    assert signed_in_as(client) == "amina"


def test_a_right_pin_resets_the_count(tablet):
    client, ids = tablet
    for _ in range(4):
        unlock(client, ids["amina"], "9999")
    assert unlock(client, ids["amina"], "2468").status_code == 303
    lock(client)
    for _ in range(4):
        assert unlock(client, ids["baraka"], "9999").status_code == 401
    assert unlock(client, ids["baraka"], "13579").status_code == 303


def test_a_pin_is_bound_to_the_device_and_the_day(tablet, app, node_home):
    client, ids = tablet
    other_tablet = app.test_client()
    assert 'href="/switch/' not in other_tablet.get("/switch").get_data(as_text=True)
    assert other_tablet.get(f"/switch/{ids['amina']}").status_code == 404
    db = db_of(node_home)
    db.execute("UPDATE device_signins SET day = '2000-01-01' WHERE user_id = ?", [ids["amina"]])
    db.close()
    assert f'href="/switch/{ids["amina"]}"' not in client.get("/switch").get_data(as_text=True)
    assert unlock(client, ids["amina"], "2468").status_code == 404
    # A password sign-in on a new day forgets the old PIN: a new one must be set.
    login(client, "amina")
    lock(client)
    assert f'href="/switch/{ids["amina"]}"' not in client.get("/switch").get_data(as_text=True)


def test_a_disabled_account_cannot_switch_in(tablet, node_home):
    client, ids = tablet
    db = db_of(node_home)
    users.disable(db, ids["amina"])
    db.close()
    assert unlock(client, ids["amina"], "2468").status_code == 404


@pytest.mark.parametrize(
    "pin, again, status",
    [("12a4", None, 422), ("123", None, 422), ("1234567", None, 422), ("1234", "4321", 422),
     ("١٢٣٤", None, 422), ("123456", None, 303)],
)
def test_pin_rules(node_home, signed_in, pin, again, status):
    client = signed_in("facilitator")
    assert set_pin(client, pin, again).status_code == status


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_only_facilitators_and_council_members_use_pins(signed_in, role):
    client = signed_in(role)
    assert client.get("/switch/pin").status_code == 403


def test_a_pin_needs_a_password_sign_in_on_this_device(node_home, signed_in, app):
    client = signed_in("facilitator")
    client.delete_cookie("sauti_tablet")
    page = client.get("/switch/pin").get_data(as_text=True)
    assert "Sign in with your password on this tablet first" in page


def test_an_idle_pin_session_locks_itself(tablet, node_home, monkeypatch):
    client, ids = tablet
    unlock(client, ids["amina"], "2468")
    db = db_of(node_home)
    settings.set_value(db, "lock_idle_minutes", "2")
    db.close()
    page = client.get("/").get_data(as_text=True)
    assert 'data-idle-seconds="120"' in page
    # the idle check's clock stands still, so 119 s is 119 s however slow a request is
    now = int(time.time())
    monkeypatch.setattr(quick_switch, "time", SimpleNamespace(time=lambda: now))
    with client.session_transaction() as session:
        session["seen"] = now - 119
    assert client.get("/").status_code == 200  # still within the idle time
    with client.session_transaction() as session:
        session["seen"] = now - 121
    response = client.get("/needs")
    assert response.status_code == 302 and response.headers["Location"].endswith("/switch")
    assert signed_in_as(client) is None
    assert client.get("/api/v1/needs").status_code == 401


def test_signed_in_pages_are_never_kept(tablet, signed_in):
    client, ids = tablet
    unlock(client, ids["amina"], "2468")
    for path in ("/", "/needs", "/capture"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_password_sign_in_still_works_without_a_device_cookie(node_home, app):
    add_user(node_home, "chair", "council")
    client = app.test_client()
    assert login(client, "chair").status_code == 302
    assert "sauti_tablet" in {c.key for c in client._cookies.values()}
    assert csrf_token(client, "/")
