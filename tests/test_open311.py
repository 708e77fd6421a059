"""Open311 GeoReport v2 subset: services, requests by ref and as a list, reports
with a token or under the kiosk's rules, Open311's error shape. Read through
the georeport client from PyPI against a real `sauti serve`."""

import pytest
from georeport import GeoReport

from app.node import home, settings

from .conftest import LiveServer, add_token, add_user


def _set(node_home, key, value):
    db = home.open_home(node_home).connect()
    try:
        settings.set_value(db, key, value)
    finally:
        db.close()


def test_services_are_the_categories_translated(client):
    answer = client.get("/open311/v2/services.json", headers={"Accept-Language": "fr"})
    assert answer.status_code == 200
    services = {s["service_code"]: s for s in answer.json}
    assert "water" in services
    water = services["water"]
    assert set(water) == {"service_code", "service_name", "description", "metadata", "type",
                          "keywords", "group"}  # fmt: skip
    assert water["metadata"] is False and water["type"] == "realtime"
    assert water["service_name"] == "Eau"


def test_post_needs_a_capturing_token_or_the_kiosk(node_home, client):
    form = {"service_code": "water", "description": "The borehole is dry"}
    answer = client.post("/open311/v2/requests.json", data=form)
    assert answer.status_code == 401
    assert set(answer.json[0]) == {"code", "description"} and answer.json[0]["code"] == 401
    add_user(node_home, "ana", "analyst")
    answer = client.post("/open311/v2/requests.json",
                         data=dict(form, api_key=add_token(node_home, "ana")))  # fmt: skip
    assert answer.status_code == 403
    answer = client.post("/open311/v2/requests.json", data=dict(form, api_key="nope" * 8))
    assert answer.status_code == 401
    add_user(node_home, "fac", "facilitator")
    bad = client.post("/open311/v2/requests.json",
                      data={"service_code": "spaceships", "description": "x",
                            "api_key": add_token(node_home, "fac")})  # fmt: skip
    assert bad.status_code == 422 and bad.json[0]["code"] == 422
    _set(node_home, "kiosk", "on")
    long = client.post("/open311/v2/requests.json", data=dict(form, description="x" * 2001))
    assert long.status_code == 422 and long.json[0]["code"] == 422
    answer = client.post("/open311/v2/requests.json", data=form)
    assert answer.status_code == 200
    ref = answer.json[0]["service_request_id"]
    one = client.get(f"/open311/v2/requests/{ref}.json").json[0]
    assert one["service_request_id"] == ref and one["status"] == "open"
    assert one["description"] == ""  # a kiosk need nobody reviewed: no text


def test_unknown_ref_is_an_open311_404(client):
    answer = client.get("/open311/v2/requests/KAN-ZZZZZZ.json")
    assert answer.status_code == 404 and answer.json[0]["code"] == 404


def test_with_the_georeport_client(node_home, tmp_path):
    add_user(node_home, "fac", "facilitator")
    token = add_token(node_home, "fac")
    _set(node_home, "share_text", "scrubbed")
    server = LiveServer(node_home).start()
    try:
        client = GeoReport(server.url + "/open311/v2", api_key=token)
        codes = {s["service_code"] for s in client.get_service_list()}
        assert {"water", "health"} <= codes
        import requests

        posted = requests.post(
            server.url + "/open311/v2/requests.json",
            data={"api_key": token, "service_code": "water",
                  "description": "No water since Monday, call Amina on 0712 345 678",
                  "first_name": "Amina", "phone": "0712345678"},
            timeout=10,
        )  # fmt: skip
        assert posted.status_code == 200, posted.text
        ref = posted.json()[0]["service_request_id"]
        one = client.get_service_request(ref)
        assert one["service_request_id"] == ref and one["service_code"] == "water"
        assert "0712" not in one["description"] and "Amina" not in one["description"]
        assert "[contact]" in one["description"]  # the respondent's own phone (CONTRACT)
        assert len(one["requested_datetime"]) == 10
        listed = client.get_service_requests(service_code="water", status="open")
        assert ref in {r["service_request_id"] for r in listed}
        assert client.get_service_requests(status="closed") == []
        with pytest.raises(requests.HTTPError):
            client.get_service_requests(start_date="yesterday")
    finally:
        server.stop()
