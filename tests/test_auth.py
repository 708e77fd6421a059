"""Sign-in, slow-down of repeated failures, CSRF, tokens, roles, route protection."""

import pytest

from app.auth.views import delay_for
from app.node import home
from app.store import users

from .conftest import PASSWORD, add_token, add_user, csrf_token, login


def test_login_sets_a_hardened_session_cookie(node_home, client):
    add_user(node_home, "amina", "council")
    response = login(client, "amina")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests; SECURE_COOKIES=True under --tls
    assert "council member" in client.get("/").get_data(as_text=True)


def test_secure_cookie_under_tls(node_home):
    from app.factory import create_app

    app = create_app({"HOME": node_home, "SECURE_COOKIES": True})
    add_user(node_home, "amina", "council")
    response = login(app.test_client(), "amina")
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_is_refused_without_saying_which_part(node_home, client):
    add_user(node_home, "amina", "council")
    response = login(client, "amina", "wrong password!")
    assert response.status_code == 401
    assert "wrong, or the account is locked" in response.get_data(as_text=True)
    unknown = login(client, "nobody", "wrong password!")
    assert unknown.status_code == 401


def test_login_without_csrf_token_is_rejected(node_home, client):
    add_user(node_home, "amina", "council")
    response = client.post("/login", data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 400
    assert "expired or did not come from this node" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_logout_requires_csrf(signed_in):
    client = signed_in("admin")
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("failures, delay", [(0, 0), (2, 0), (3, 2), (4, 4), (8, 64), (30, 900)])
def test_delay_grows_then_caps(failures, delay):
    assert delay_for(failures) == delay


def test_repeated_failures_slow_down_the_account(node_home, client, app):
    add_user(node_home, "amina", "council")
    for _ in range(3):
        assert login(client, "amina", "wrong password!").status_code == 401
    slowed = login(client, "amina")  # even the right password must wait now
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) >= 1
    assert "Wait" in slowed.get_data(as_text=True)
    # Once the delay has passed, the right password works and clears the counter.
    db = home.open_home(node_home).connect()
    db.execute("UPDATE login_failures SET last_at = last_at - 3600")
    db.close()
    assert login(client, "amina").status_code == 302
    db = home.open_home(node_home).connect()
    assert users.failures(db, "user:amina") == (0, 0.0)
    db.close()


def test_failures_from_one_address_slow_down_other_accounts_too(node_home, client):
    add_user(node_home, "amina", "council")
    for name in ("a1", "a2", "a3"):
        login(client, name, "wrong password!")
    assert login(client, "amina").status_code == 429


def test_disabled_user_is_signed_out_and_cannot_sign_in(node_home, signed_in):
    client = signed_in("admin", "boss")
    assert client.get("/admin/").status_code == 200
    db = home.open_home(node_home).connect()
    users.disable(db, users.by_name(db, "boss")["id"])
    db.close()
    assert client.get("/admin/").status_code == 302
    assert login(client, "boss").status_code == 401


def test_password_change_ends_other_sessions(node_home, signed_in):
    from app.auth import passwords

    client = signed_in("admin", "boss")
    db = home.open_home(node_home).connect()
    users.set_password(db, users.by_name(db, "boss")["id"], passwords.hash_password("new long pass"))
    db.close()
    assert client.get("/admin/").status_code == 302


def test_token_auth_and_revocation(node_home, app):
    client = app.test_client()
    add_user(node_home, "ana", "analyst")
    token = add_token(node_home, "ana")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/needs", headers=headers).status_code == 200
    assert client.get("/api/v1/needs", headers={"Authorization": "Bearer " + token[:-1] + "x"}).status_code == 401
    assert client.get("/api/v1/needs").status_code == 401
    db = home.open_home(node_home).connect()
    [match] = users.tokens_matching(db, token[:8])
    users.revoke_token(db, match["id"])
    db.close()
    response = client.get("/api/v1/needs", headers=headers)
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_disabled_users_token_stops_working(node_home, app):
    add_user(node_home, "ana", "analyst")
    token = add_token(node_home, "ana")
    db = home.open_home(node_home).connect()
    users.disable(db, users.by_name(db, "ana")["id"])
    db.close()
    response = app.test_client().get("/api/v1/needs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_tokens_are_stored_hashed(node_home):
    add_user(node_home, "ana", "analyst")
    token = add_token(node_home, "ana")
    raw = (node_home / "sauti.db").read_bytes()
    assert token.encode() not in raw


def test_role_not_allowed_is_403(api):
    client, headers = api("analyst")
    body = {"uuid": "8d0f5c2e-4a43-4c1e-9a55-0f3f1e1c2b3a", "text": "x", "language": "en"}
    response = client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_session_api_writes_need_the_csrf_header(signed_in):
    client = signed_in("facilitator")
    body = {"uuid": "8d0f5c2e-4a43-4c1e-9a55-0f3f1e1c2b3a", "text": "Maji", "language": "sw"}
    assert client.post("/api/v1/needs", json=body).status_code == 400
    token = csrf_token(client, "/")
    assert client.post("/api/v1/needs", json=body, headers={"X-CSRFToken": token}).status_code == 201


def test_no_route_is_open_by_accident(app):
    """Every route is public by an explicit marker or requires a permission."""
    unmarked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "sauti_public", False) and not getattr(view, "sauti_permission", None):
            unmarked.append(rule.rule)
    assert unmarked == []


def test_anonymous_visitors_reach_only_public_routes(app):
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or getattr(view, "sauti_public", False) or rule.arguments:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(rule.rule, method=method)
            assert response.status_code in (302, 400, 401, 403), (method, rule.rule, response.status_code)


def test_an_unmarked_route_is_refused(node_home):
    from app.factory import create_app

    app = create_app({"HOME": node_home, "TESTING": True})
    app.add_url_rule("/oops", "oops", lambda: "secret")
    add_user(node_home, "boss", "admin")
    client = app.test_client()
    login(client, "boss")
    assert client.get("/oops").status_code == 403


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/api/v1/openapi.json"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_open_redirect_is_refused(node_home, client):
    add_user(node_home, "amina", "council")
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "amina", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"
