"""Sessions live on the node; sign-in throttling is atomic and cannot be
turned against a member; every redirect target stays on the node."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from app.auth import throttle
from app.node import home
from app.store import users
from tests.conftest import PASSWORD, LiveServer, add_user, csrf_token, login


def _db(node_home):
    return home.open_home(node_home).connect()


def test_the_cookie_holds_only_a_session_id_stored_hashed(node_home, client):
    add_user(node_home, "amina", "council")
    login(client, "amina")
    with client.session_transaction() as s:
        assert set(s) <= {"sid", "csrf_token", "_permanent"} and len(s["sid"]) >= 40
        sid = s["sid"]
    db = _db(node_home)
    stored = [r[0] for r in db.execute("SELECT id_hash FROM sessions").fetchall()]
    db.close()
    assert sid not in stored and len(stored) == 1


def test_signing_out_ends_the_session_and_the_old_cookie_is_refused(node_home, app):
    add_user(node_home, "amina", "council")
    client = app.test_client()
    login(client, "amina")
    assert client.get("/council/").status_code == 200
    old = client.get_cookie("sauti_session").value
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("sauti_session", old)
    assert replay.get("/council/").status_code == 302  # to the sign-in page


def test_disable_and_password_change_end_every_session(node_home, app):
    from app.auth import accounts

    add_user(node_home, "amina", "council")
    add_user(node_home, "juma", "council")
    a, j = app.test_client(), app.test_client()
    login(a, "amina")
    login(j, "juma")
    db = _db(node_home)
    accounts.disable_user(db, "cli", "amina")
    accounts.set_password(db, "cli", "juma", "another long secret")
    db.close()
    assert a.get("/council/").status_code == 302 and j.get("/council/").status_code == 302


def test_an_expired_session_is_refused(node_home, app):
    add_user(node_home, "amina", "council")
    client = app.test_client()
    login(client, "amina")
    db = _db(node_home)
    db.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    db.close()
    assert client.get("/council/").status_code == 302


def _fail(client, name, address):
    token = csrf_token(client)
    return client.post("/login", data={"username": name, "password": "wrong password!",
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})  # fmt: skip


def _sign_in(client, name, address, password=PASSWORD):
    token = csrf_token(client)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})  # fmt: skip


def test_a_stranger_cannot_lock_a_member_out(node_home, app):
    add_user(node_home, "amina", "council")
    phone = app.test_client()
    assert _sign_in(phone, "amina", "10.0.0.5").status_code == 302  # her phone knows her now
    phone.post("/logout", data={"csrf_token": csrf_token(phone, "/")})
    for n in range(40):  # a stranger guesses from many addresses
        _fail(app.test_client(), "amina", f"10.9.{n // 200}.{n % 200}")
    for n in range(5):  # ... and from her own address
        _fail(app.test_client(), "amina", "10.0.0.5")
    assert _sign_in(phone, "amina", "10.0.0.5").status_code == 302
    # A browser she never used is slowed down by the guessing, as it should be.
    assert _sign_in(app.test_client(), "amina", "10.0.0.77").status_code == 429


def test_a_device_cookie_is_throttled_on_its_own(node_home, app):
    add_user(node_home, "amina", "council")
    phone = app.test_client()
    _sign_in(phone, "amina", "10.0.0.5")
    for _ in range(throttle.FREE_FAILURES):
        assert _fail(phone, "amina", "10.0.0.5").status_code == 401
    assert _sign_in(phone, "amina", "10.0.0.5").status_code == 429
    # a forged device cookie counts as none
    forged = app.test_client()
    forged.set_cookie(throttle.DEVICE_COOKIE, "eyJhbWluYSI6Inh4In0.forged")
    assert _sign_in(forged, "amina", "10.0.0.6").status_code == 302


def test_a_burst_after_the_delay_gets_exactly_one_password_check(node_home):
    add_user(node_home, "amina", "council")
    server = LiveServer(node_home).start()
    try:
        db = _db(node_home)
        long_ago = time.time() - 10 * throttle.MAX_DELAY
        for key in ("ua:amina|127.0.0.1", "addr:127.0.0.1", "user:amina"):
            db.execute("INSERT INTO login_failures(key, failures, last_at) VALUES (?, 12, ?)",
                       [key, long_ago])  # fmt: skip
        db.close()
        openers = []
        for _ in range(8):
            jar = CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = opener.open(server.url + "/login", timeout=10).read().decode()
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            openers.append((opener, token))
        barrier = threading.Barrier(len(openers))
        statuses = []

        def attempt(opener, token):
            body = urllib.parse.urlencode({"username": "amina", "password": "wrong password!",
                                           "csrf_token": token}).encode()  # fmt: skip
            barrier.wait(timeout=10)
            try:
                statuses.append(opener.open(server.url + "/login", body, timeout=30).status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)

        threads = [threading.Thread(target=attempt, args=o) for o in openers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        server.stop()
    assert sorted(statuses) == [401] + [429] * 7


def test_a_correct_password_gives_back_the_address_attempt(node_home, app):
    add_user(node_home, "amina", "council")
    add_user(node_home, "juma", "council")
    for _ in range(2):
        _fail(app.test_client(), "nobody", "10.1.1.1")
    assert _sign_in(app.test_client(), "juma", "10.1.1.1").status_code == 302
    db = _db(node_home)
    assert users.failures(db, "addr:10.1.1.1")[0] == 2
    db.close()


BAD_NEXT = ["//evil.example/x", "/%09/evil", "/\t/evil", "/%2F/evil", "/%252F%252Fevil",
            "/\\evil", "/%5Cevil", "https://evil.example", "javascript:alert(1)",
            "/x%0d%0aSet-Cookie:%20a=b", "/%E2%80%A8", "/%ED%A0%80", "%2F%2Fevil"]  # fmt: skip


@pytest.mark.parametrize("target", BAD_NEXT)
def test_no_redirect_leaves_the_node(node_home, client, target):
    add_user(node_home, "amina", "council")
    quoted = urllib.parse.quote(target, safe="%/:")
    answer = client.get(f"/lang/sw?next={quoted}")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    token = csrf_token(client)
    answer = client.post(f"/login?next={quoted}",
                         data={"username": "amina", "password": PASSWORD, "csrf_token": token})  # fmt: skip
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_crlf_in_next_is_no_500(client):
    answer = client.get("/lang/sw?next=/a%0d%0aX:%20y")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/council/?page=2", "/needs?q=maji%20safi", "/admin/"])
def test_a_path_on_the_node_is_kept(client, target):
    answer = client.get("/lang/sw?next=" + urllib.parse.quote(target))
    assert answer.headers["Location"] == target


def test_the_strict_json_reader_keeps_the_session_cookie_tags(node_home):
    """The app's JSON provider reads request bodies strictly, and still passes
    the session serializer's object_hook through (tuples, bytes, flashes)."""
    from flask import flash, get_flashed_messages, session

    from app.auth.permissions import public
    from app.factory import create_app

    app = create_app({"HOME": node_home, "TESTING": True})
    app.add_url_rule("/t1", "t1", public(lambda: (flash("hello"), session.update(x=(1, b"a")), "ok")[2]))
    app.add_url_rule("/t2", "t2", public(lambda: repr((get_flashed_messages(), session.get("x")))))
    client = app.test_client()
    client.get("/t1")
    assert client.get("/t2").get_data(as_text=True) == "(['hello'], (1, b'a'))"
