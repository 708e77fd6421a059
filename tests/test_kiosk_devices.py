"""Enrolled kiosk devices: an admin makes an enrolment link (and QR), the kiosk keeps
the device token in a cookie and gets its own, much higher limit; a refused
submission keeps what was typed."""

import re

from app.public import kiosk_devices
from app.store import kiosks

from .conftest import add_user, csrf_token, login
from .test_public_kiosk import _db, _needs, _set


def _enrolment_link(app, node_home, name="Market kiosk") -> str:
    add_user(node_home, "admin-k", "admin")
    admin = app.test_client()
    assert login(admin, "admin-k").status_code == 302
    page = admin.post(
        "/admin/kiosks", data={"name": name, "csrf_token": csrf_token(admin, "/admin/kiosks")}
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html  # the QR code, made on the node
    return re.search(r'<code dir="ltr">(http[^<]+)</code>', html).group(1)


def _enrol(client, link: str) -> None:
    path = link.split("//", 1)[1].split("/", 1)[1]
    confirm = client.get("/" + path)
    assert confirm.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm.get_data(as_text=True))
    answer = client.post("/" + path, data={"csrf_token": token.group(1)})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/kiosk")


def _send(client, token, text):
    data = {"csrf_token": token, "text": text, "language": "sw", "category": "water"}
    return client.post("/kiosk", data=data)


def test_an_enrolled_kiosk_is_not_locked_out_by_the_address_limit(app, node_home):
    _set(node_home, "kiosk", "on")
    kiosk = app.test_client()
    _enrol(kiosk, _enrolment_link(app, node_home))
    token = csrf_token(kiosk, "/kiosk")
    assert "Market kiosk" in kiosk.get("/kiosk").get_data(as_text=True)
    for i in range(kiosk_devices.ADDRESS_LIMIT[0] + 5):
        assert _send(kiosk, token, f"hitaji {i}").status_code == 200
    assert len(_needs(node_home)) == kiosk_devices.ADDRESS_LIMIT[0] + 5
    # a browser at the same address without the enrolment keeps the address limit
    other = app.test_client()
    other_token = csrf_token(other, "/kiosk")
    for i in range(kiosk_devices.ADDRESS_LIMIT[0]):
        assert _send(other, other_token, f"nyingine {i}").status_code == 200
    assert _send(other, other_token, "moja zaidi").status_code == 429


def test_the_device_limit_refuses_but_keeps_what_was_typed(app, node_home):
    _set(node_home, "kiosk", "on")
    app.config["RATELIMITS"] = {"kiosk_device": (2, 600)}
    kiosk = app.test_client()
    _enrol(kiosk, _enrolment_link(app, node_home))
    token = csrf_token(kiosk, "/kiosk")
    assert _send(kiosk, token, "kwanza").status_code == 200
    assert _send(kiosk, token, "pili").status_code == 200
    refused = _send(kiosk, token, "Barabara ya soko <imeharibika> kabisa")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    html = refused.get_data(as_text=True)
    assert "Barabara ya soko &lt;imeharibika&gt; kabisa</textarea>" in html
    assert 'value="water" checked' in html
    assert "press Send again" in html
    assert len(_needs(node_home)) == 2


def test_the_address_limit_also_keeps_what_was_typed(app, node_home):
    _set(node_home, "kiosk", "on")
    app.config["RATELIMITS"] = {"kiosk": (1, 600)}
    client = app.test_client()
    token = csrf_token(client, "/kiosk")
    assert _send(client, token, "kwanza").status_code == 200
    refused = _send(client, token, "Maneno yangu")
    assert refused.status_code == 429
    assert "Maneno yangu</textarea>" in refused.get_data(as_text=True)


def test_revoked_or_unknown_tokens_enrol_nothing(app, node_home):
    _set(node_home, "kiosk", "on")
    link = _enrolment_link(app, node_home)
    assert app.test_client().get("/kiosk/enrol/not-a-token").status_code == 404
    assert app.test_client().get("/kiosk/enrol/" + "x" * 5000).status_code == 404
    kiosk = app.test_client()
    _enrol(kiosk, link)
    db = _db(node_home)
    try:
        (device,) = kiosks.listing(db)
        assert kiosks.revoke(db, device["id"])
        assert not kiosks.revoke(db, device["id"])
        # only the hash of the token is stored
        token = link.rsplit("/", 1)[1]
        assert token not in str(list(db.query("SELECT * FROM kiosk_devices")))
    finally:
        db.close()
    assert "Market kiosk" not in kiosk.get("/kiosk").get_data(as_text=True)
    assert app.test_client().get("/" + link.split("/", 3)[3]).status_code == 404


def test_only_an_admin_enrols_and_a_name_is_needed(app, node_home, client):
    add_user(node_home, "fac", "facilitator")
    assert login(client, "fac").status_code == 302
    assert client.get("/admin/kiosks").status_code == 403
    add_user(node_home, "admin-n", "admin")
    admin = app.test_client()
    login(admin, "admin-n")
    token = csrf_token(admin, "/admin/kiosks")
    for name in ("", "   ", "k" * 81):
        answer = admin.post("/admin/kiosks", data={"name": name, "csrf_token": token})
        assert answer.status_code == 422
    db = _db(node_home)
    try:
        assert kiosks.listing(db) == []
    finally:
        db.close()
