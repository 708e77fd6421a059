"""The admin sync page: status, sync now, enrolment with fingerprint and QR code."""

from app.node import home
from app.store import sync_state
from tests.conftest import csrf_token
from tests.engines import ENGINES_ALL_LEVELS
from tests.sync_helpers import public_key

pytestmark = ENGINES_ALL_LEVELS


def test_sync_page_shows_identity_and_enrols_a_child(node_home, signed_in, tmp_path):
    from tests.conftest import make_home

    client = signed_in("admin")
    page = client.get("/admin/sync").get_data(as_text=True)
    node_key = public_key(node_home)
    assert home.fingerprint(node_key) in page
    assert "<svg" in page and 'class="qr"' in page and "style=" not in page
    assert "no parent yet" in page
    child = make_home(tmp_path / "child", name="Child", locality="KE/47/westlands/kangemi/x")
    token = csrf_token(client, "/admin/sync")
    answer = client.post(
        "/admin/sync/children",
        data={"name": "Kangemi B", "key": public_key(child), "csrf_token": token},
    )
    assert answer.status_code == 302
    page = client.get("/admin/sync?result=enrolled").get_data(as_text=True)
    assert "Kangemi B" in page and home.fingerprint(public_key(child)) in page
    bad = client.post(
        "/admin/sync/children", data={"name": "X", "key": "not-a-key", "csrf_token": token}
    )
    assert bad.status_code == 422
    again = client.post(
        "/admin/sync/children",
        data={"name": "Again", "key": public_key(child), "csrf_token": token},
    )
    assert again.status_code == 409


def test_sync_now_reports_an_unreachable_parent(node_home, signed_in):
    client = signed_in("admin")
    db = home.open_home(node_home).connect()
    try:
        sync_state.set_parent(db, "http://127.0.0.1:9", public_key(node_home))
    finally:
        db.close()
    token = csrf_token(client, "/admin/sync")
    answer = client.post("/admin/sync/now", data={"csrf_token": token})
    assert answer.status_code == 302 and "result=failed" in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "cannot reach the parent" in page
    assert "Sync did not finish" in page


def test_sync_pages_are_for_admins_only(signed_in):
    client = signed_in("council")
    assert client.get("/admin/sync").status_code == 403
