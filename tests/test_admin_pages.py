"""The admin pages: users, tokens, settings, categories, locality names,
enrolment and parent, the audit list, and every user's own password."""

import re

import pytest

from app.node import home, settings
from app.store import audit, categories, localities, sync_state
from tests.conftest import PASSWORD, csrf_token, login
from tests.sync_helpers import public_key


@pytest.fixture
def admin(signed_in):
    client = signed_in("admin", "boss")
    client.token = csrf_token(client, "/admin/")
    return client


def post(client, path, **data):
    return client.post(path, data={"csrf_token": client.token, **data})


def db_of(node_home):
    return home.open_home(node_home).connect()


def audit_rows(node_home):
    db = db_of(node_home)
    try:
        return audit.page(db, 1, 500)[0]
    finally:
        db.close()


def test_admin_pages_are_for_admins_only(signed_in):
    client = signed_in("council")
    for path in ("/admin/users", "/admin/tokens", "/admin/settings", "/admin/categories",
                 "/admin/localities", "/admin/audit"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_add_disable_enable_and_reset_a_user(admin, node_home, app):
    typed = post(admin, "/admin/users", username="a b", role="council", password="short")
    assert typed.status_code == 422
    page = typed.get_data(as_text=True)
    assert 'value="a b"' in page and "2 to 64 letters" in page  # what was typed stays
    assert post(admin, "/admin/users", username="amina", role="council",
                password=PASSWORD).status_code == 302  # fmt: skip
    made_up = post(admin, "/admin/users", username="juma", role="facilitator", password="")
    shown = re.search(r'<code class="secret">([^<]+)</code>', made_up.get_data(as_text=True))
    assert made_up.status_code == 200 and made_up.headers["Cache-Control"] == "no-store"
    other = app.test_client()
    assert login(other, "juma", shown.group(1)).status_code == 302
    assert other.get("/capture").status_code == 200
    assert post(admin, "/admin/users/juma/disable").status_code == 302
    assert other.get("/capture").status_code == 302  # the session ended
    assert login(app.test_client(), "juma", shown.group(1)).status_code == 401
    assert post(admin, "/admin/users/juma/enable").status_code == 302
    assert post(admin, "/admin/users/juma/password", password="a new long pass").status_code == 302
    assert login(app.test_client(), "juma", "a new long pass").status_code == 302
    assert post(admin, "/admin/users/boss/disable").status_code == 409  # not oneself
    assert post(admin, "/admin/users/nobody/disable").status_code == 404
    actions = [(r["actor"], r["action"], r["target"]) for r in audit_rows(node_home)]
    assert ("boss", "user_add", "amina") in actions and ("boss", "user_disable", "juma") in actions
    assert ("boss", "password_reset", "juma") in actions and ("boss", "user_enable", "juma") in actions
    text = str(audit_rows(node_home))
    assert shown.group(1) not in text and "a new long pass" not in text and PASSWORD not in text


def test_a_token_is_shown_once_works_and_is_revoked(admin, node_home, app):
    post(admin, "/admin/users", username="tablet1", role="facilitator", password=PASSWORD)
    answer = post(admin, "/admin/tokens", username="tablet1")
    assert answer.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code class="secret">([^<]+)</code>', answer.get_data(as_text=True)).group(1)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/needs", headers=headers).status_code == 200
    listing = admin.get("/admin/tokens").get_data(as_text=True)
    assert token not in listing and token[:12] in listing
    assert post(admin, "/admin/tokens/revoke", prefix=token[:6]).status_code == 422
    assert post(admin, "/admin/tokens/revoke", prefix=token[:12]).status_code == 302
    assert api.get("/api/v1/needs", headers=headers).status_code == 401
    assert token not in str(audit_rows(node_home))
    assert post(admin, "/admin/tokens", username="nobody").status_code == 422


def test_every_setting_is_on_the_page_with_its_explanation(admin):
    page = admin.get("/admin/settings").get_data(as_text=True)
    for key in settings.SETTINGS:
        assert f'id="setting-{key}"' in page, key
    assert "smallest count this node publishes" in page


@pytest.mark.parametrize("key, bad, good, stored", [
    ("k", "1", "7", "7"),
    ("share_text", "everything", "scrubbed", "scrubbed"),
    ("country", "Kenya", "tz", "TZ"),
    ("push_interval_minutes", "9" * 5000, "30", "30"),
    ("contact_retention_days", "-3", "90", "90"),
])  # fmt: skip
def test_settings_use_the_one_table_of_validators(admin, node_home, key, bad, good, stored):
    refused = post(admin, "/admin/settings", key=key, value=bad)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'id="error-{key}"' in page
    if len(bad) < 100 and key != "share_text":
        assert f'value="{bad}"' in page  # what was typed stays in the field
    assert post(admin, "/admin/settings", key=key, value=good).status_code == 302
    db = db_of(node_home)
    assert settings.get(db, key) == stored
    db.close()
    assert any(r["action"] == "setting_set" and r["target"] == key for r in audit_rows(node_home))


def test_the_sms_secret_is_never_shown_or_audited(admin, node_home):
    secret = "a-very-long-shared-secret"
    assert post(admin, "/admin/settings", key="sms_secret", value=secret).status_code == 302
    assert secret not in admin.get("/admin/settings").get_data(as_text=True)
    assert secret not in str(audit_rows(node_home))
    assert post(admin, "/admin/settings", key="nope", value="1").status_code == 404


def test_categories_add_rename_translate_retire(admin, node_home, client):
    bad = post(admin, "/admin/categories", code="X", name="", icon="../../etc.svg")
    assert bad.status_code == 422
    assert post(admin, "/admin/categories", code="sanitation", name="Sanitation",
                icon="cat-water.svg", goals=["6", "99", "x"]).status_code == 302  # fmt: skip
    assert post(admin, "/admin/categories/sanitation", name_sw="Usafi wa mazingira",
                name_ar="الصرف الصحي", icon="cat-health.svg").status_code == 302  # fmt: skip
    db = db_of(node_home)
    row = categories.get(db, "sanitation")
    assert row["goals"] == [6] and row["icon"] == "cat-health.svg"
    assert row["labels"]["sw"] == "Usafi wa mazingira"
    db.close()
    admin.get("/lang/sw")
    assert "Usafi wa mazingira" in admin.get("/capture").get_data(as_text=True)
    assert post(admin, "/admin/categories/sanitation/active", active="0").status_code == 302
    assert 'value="sanitation"' not in admin.get("/capture").get_data(as_text=True)
    assert post(admin, "/admin/categories/other/active", active="0").status_code == 409
    assert post(admin, "/admin/categories/sanitation", name_en="x" * 61).status_code == 422
    db = db_of(node_home)
    assert categories.get(db, "sanitation") is not None  # retired, never deleted
    db.close()
    actions = {r["action"] for r in audit_rows(node_home)}
    assert {"category_add", "category_names", "category_icon", "category_retire"} <= actions


def test_locality_names_per_language(admin, node_home):
    assert post(admin, "/admin/localities", code="KE/47/westlands/kangemi", language="sw",
                name="Kangemi (kata)").status_code == 302  # fmt: skip
    assert post(admin, "/admin/localities", code="not a code", language="sw",
                name="x").status_code == 422  # fmt: skip
    assert post(admin, "/admin/localities", code="KE/47", language="xx", name="x").status_code == 422
    db = db_of(node_home)
    assert localities.names(db, "sw")["KE/47/westlands/kangemi"] == "Kangemi (kata)"
    db.close()


def test_enrol_a_child_and_set_the_parent_after_comparing_fingerprints(admin, node_home, tmp_path):
    from tests.conftest import make_home

    child = make_home(tmp_path / "child", locality="KE/47/westlands/kangemi/x")
    parent = make_home(tmp_path / "parent", locality="KE/47")
    check = post(admin, "/admin/sync/children", name="Kangemi B", key=public_key(child), step="check")
    page = check.get_data(as_text=True)
    assert check.status_code == 200 and home.fingerprint(public_key(child)) in page
    db = db_of(node_home)
    assert sync_state.child_by_key(db, public_key(child)) is None  # not before confirming
    db.close()
    assert post(admin, "/admin/sync/children", name="Kangemi B", key=public_key(child)).status_code == 302
    assert post(admin, "/admin/sync/children", name="B", key=public_key(child), step="check").status_code == 409
    assert post(admin, "/admin/sync/parent", url="ftp://x", key=public_key(parent), step="check").status_code == 422
    check = post(admin, "/admin/sync/parent", url="http://10.0.0.2:5000/", key=public_key(parent),
                 step="check")  # fmt: skip
    assert home.fingerprint(public_key(parent)) in check.get_data(as_text=True)
    assert post(admin, "/admin/sync/parent", url="http://10.0.0.2:5000/",
                key=public_key(parent)).status_code == 302  # fmt: skip
    db = db_of(node_home)
    assert sync_state.parent(db) == {"url": "http://10.0.0.2:5000", "public_key": public_key(parent)}
    db.close()
    actions = {r["action"] for r in audit_rows(node_home)}
    assert {"child_enrol", "parent_set"} <= actions


def test_every_user_changes_their_own_password(node_home, signed_in, app):
    me = signed_in("facilitator", "peter")
    elsewhere = app.test_client()
    assert login(elsewhere, "peter").status_code == 302
    token = csrf_token(me, "/account/password")
    wrong = me.post("/account/password", data={"csrf_token": token, "current": "nope",
                                               "new": "brand new secret", "again": "brand new secret"})  # fmt: skip
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    ok = me.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                            "new": "brand new secret", "again": "brand new secret"})  # fmt: skip
    assert ok.status_code == 302
    assert me.get("/capture").status_code == 200  # this session stays
    assert elsewhere.get("/capture").status_code == 302  # the other one ended
    assert login(app.test_client(), "peter", "brand new secret").status_code == 302
    rows = audit_rows(node_home)
    assert rows[0]["action"] == "password_change" and rows[0]["actor"] == "peter"
    assert "brand new secret" not in str(rows)


def test_the_audit_list_shows_changes_to_admins(admin, node_home):
    post(admin, "/admin/settings", key="k", value="6")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "boss" in page and "setting changed" in page
    assert admin.get("/admin/audit?page=99999999999999999999").status_code == 200

