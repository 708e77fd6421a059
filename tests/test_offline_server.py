"""Offline support, server side: the service worker script, the CA download,
the admin page's CA section and the import of a saved queue file."""

import hashlib
import io
import json
import re
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import render_template

from app.node import home
from app.store import needs as need_store
from tests.conftest import csrf_token


def sw_config(response) -> dict:
    first = response.get_data(as_text=True).split("\n", 1)[0]
    return json.loads(re.fullmatch(r"self\.SAUTI_SW = (.*);", first).group(1))


def test_service_worker_is_public_javascript_with_its_assets(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    config = sw_config(response)
    assert config["scope"] == "/capture"
    assert "/capture" in config["pages"]
    assert "/static/sauti.css" in config["assets"]
    assert "/static/js/offline-queue.js" in config["assets"]
    assert "/static/icons/cat-water.svg" in config["assets"]
    assert "/static/js/sw.js" not in config["assets"]
    assert "addEventListener('fetch'" in response.get_data(as_text=True)


def test_service_worker_version_follows_the_assets(app, client, tmp_path):
    first = client.get("/sw.js")
    again = client.get("/sw.js", headers={"If-None-Match": first.headers["ETag"].strip('"')})
    assert again.status_code == 304
    # a changed stylesheet gives a new version, so tablets get a new cache
    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    (static / "js" / "sw.js").write_bytes(b"// sw\n")
    (static / "sauti.css").write_text("body { color: red; }")
    app.static_folder = str(static)
    one = sw_config(client.get("/sw.js"))["version"]
    (static / "sauti.css").write_text("body { color: blue; }")
    two = sw_config(client.get("/sw.js"))["version"]
    assert one != two
    assert one != sw_config(first)["version"]


def test_ca_certificate_download_is_public_der(client, node_home):
    response = client.get("/ca.crt")
    assert response.status_code == 200
    assert response.mimetype == "application/x-x509-ca-cert"
    assert "attachment" in response.headers["Content-Disposition"]
    served = x509.load_der_x509_certificate(response.data)
    on_disk = x509.load_pem_x509_certificate((node_home / "tls" / "ca.crt").read_bytes())
    assert served == on_disk
    assert served.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    # never the key
    key = (node_home / "tls" / "ca.key").read_bytes()
    assert b"PRIVATE" not in response.data and key not in response.data


def test_ca_certificate_missing_is_a_clear_404(client, node_home):
    (node_home / "tls" / "ca.crt").unlink()
    response = client.get("/ca.crt")
    assert response.status_code == 404
    assert "sauti serve --tls" in response.get_data(as_text=True)


def test_admin_page_links_the_ca_with_an_inline_qr_code(app, signed_in, node_home):
    page = signed_in("admin").get("/admin/").get_data(as_text=True)
    assert re.search(r'<a class="button" href="http://[^"]+/ca.crt" download>', page)
    # an admin page opened from the LAN links (and encodes) the LAN address
    with app.test_request_context("/admin/", base_url="http://192.168.4.1:5000"):
        section = render_template("capture/_offline_ca.html")
    assert 'href="http://192.168.4.1:5000/ca.crt"' in section
    assert "<title>http://192.168.4.1:5000/ca.crt</title>" in section
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL).group(0)
    for external in ("href", "<image", "url(", "style=", "<script"):
        assert external not in svg  # nothing fetched, nothing the CSP would block
    der = x509.load_pem_x509_certificate((node_home / "tls" / "ca.crt").read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    fingerprint = hashlib.sha256(der).hexdigest().upper()
    assert ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)) in page


def test_capture_status_partial_is_hidden_without_javascript(signed_in):
    client = signed_in("facilitator")
    page = client.get("/capture").get_data(as_text=True)
    status = re.search(r"<section class=\"offline-status\"[^>]*>", page, re.DOTALL).group(0)
    assert " hidden" in status
    assert 'data-sw-url="/sw.js"' in status


# -- import of a saved queue file ---------------------------------------------


def body(text="Borehole broken", **extra):
    data = {"uuid": str(uuid.uuid4()), "text": text, "language": "sw", "category": "water"}
    data.update(extra)
    return data


def queue_file(items) -> dict:
    document = {
        "format": "sauti-offline-queue",
        "version": 1,
        "saved_at": "2026-11-24T09:00:00Z",
        "items": [{"uuid": b["uuid"], "queue": "needs", "body": b} for b in items],
    }
    return json.dumps(document).encode()


def post_file(client, raw: bytes, token=None):
    token = token or csrf_token(client, "/capture/queue-import")
    return client.post(
        "/capture/queue-import",
        data={"csrf_token": token, "queue_file": (io.BytesIO(raw), "queue.json")},
        content_type="multipart/form-data",
    )


def outcomes(page: str) -> list[str]:
    return re.findall(r'data-outcome="(\w+)"', page)


def count_needs(node_home) -> int:
    db = home.open_home(node_home).connect()
    try:
        return db["needs"].count
    finally:
        db.close()


def test_import_stores_each_need_once_and_reports_each_item(signed_in, node_home):
    client = signed_in("facilitator")
    good = [body("Maji safi"), body("Clinic closed", category="health", supporters=4)]
    bad = body("", supporters=0)
    raw = queue_file([*good, bad])
    first = post_file(client, raw)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert outcomes(page) == ["stored", "stored", "invalid"]
    assert "text:" in page and "supporters:" in page  # the field errors
    assert count_needs(node_home) == 2
    second = post_file(client, raw).get_data(as_text=True)
    assert outcomes(second) == ["already", "already", "invalid"]
    assert count_needs(node_home) == 2
    db = home.open_home(node_home).connect()
    try:
        stored = need_store.by_uuid(db, good[1]["uuid"])
    finally:
        db.close()
    assert stored["supporters"] == 4 and stored["category"] == "health"
    assert stored["ref"] in page


def test_import_refuses_a_uuid_used_for_a_different_need(signed_in, node_home):
    client = signed_in("facilitator")
    need = body("Road flooded", category="roads")
    post_file(client, queue_file([need]))
    changed = dict(need, text="Something else")
    page = post_file(client, queue_file([changed])).get_data(as_text=True)
    assert outcomes(page) == ["conflict"]
    assert count_needs(node_home) == 1


def test_import_accepts_files_larger_than_the_api_limit(signed_in, node_home):
    client = signed_in("council")
    items = [body("Maji " * 200 + str(n)) for n in range(80)]
    raw = queue_file(items)
    assert len(raw) > 65_536
    page = post_file(client, raw).get_data(as_text=True)
    assert outcomes(page) == ["stored"] * 80
    assert count_needs(node_home) == 80


def test_import_rejects_what_is_not_a_queue_file(signed_in, node_home):
    client = signed_in("facilitator")
    for raw in (b"\xff\xfe not json", b'{"some": "thing"}', b"42"):
        response = post_file(client, raw)
        assert response.status_code == 400
        assert 'class="error"' in response.get_data(as_text=True)
    items = [{"uuid": "x", "queue": "needs", "body": "text"}, {"queue": "meetings", "body": {}}]
    raw = json.dumps({"format": "sauti-offline-queue", "items": items}).encode()
    assert outcomes(post_file(client, raw).get_data(as_text=True)) == ["invalid", "invalid"]
    assert count_needs(node_home) == 0


def test_import_needs_csrf_and_the_capture_permission(signed_in, client, node_home):
    assert client.get("/capture/queue-import").status_code == 302  # to the login page
    signed_in("facilitator")
    response = post_file(client, queue_file([body()]), token="forged")
    assert response.status_code == 400
    assert count_needs(node_home) == 0
    client.post("/logout", data={"csrf_token": csrf_token(client, "/capture/queue-import")})
    signed_in("analyst")
    assert client.get("/capture/queue-import").status_code == 403
