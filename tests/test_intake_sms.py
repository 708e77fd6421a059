"""The inbound SMS webhook: shared secret, one need per message, retries stored once."""

import pytest

from app.node import home, settings

SECRET = "s3cret-gateway-key-0042"


def _db(node_home):
    return home.open_home(node_home).connect()


def _needs(node_home):
    db = _db(node_home)
    try:
        return list(db.query("SELECT * FROM needs ORDER BY id"))
    finally:
        db.close()


@pytest.fixture
def sms_on(node_home):
    db = _db(node_home)
    try:
        settings.set_value(db, "sms_secret", SECRET)
    finally:
        db.close()


MESSAGE = {
    "from": "+254722111222",
    "text": "Maji hayapatikani kijijini kwetu.",
    "sent_at": "1764067800000",
}


def test_webhook_is_off_without_a_secret(client, node_home):
    response = client.post("/api/v1/sms", data={**MESSAGE, "secret": "anything-at-all-123"})
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert _needs(node_home) == []


def test_wrong_or_missing_secret_is_refused(client, node_home, sms_on):
    for extra in ({}, {"secret": "wrong-secret-wrong-secret"}, {"secret": SECRET[:-1]}):
        response = client.post("/api/v1/sms", data={**MESSAGE, **extra})
        assert response.status_code == 403, extra
        assert response.get_json()["error"] == "bad_secret"
    assert _needs(node_home) == []


def test_webhook_stores_a_need_with_the_sender_as_contact(client, node_home, sms_on):
    response = client.post("/api/v1/sms", data={**MESSAGE, "secret": SECRET})
    assert response.status_code == 201
    body = response.get_json()
    [need] = _needs(node_home)
    assert body["ref"] == need["ref"] and need["ref"] in body["reply"]
    assert body["payload"]["success"] is True
    assert need["channel"] == "sms" and need["category"] == "other"
    assert need["language"] == "en"  # the node's default language
    assert need["respondent_contact"] == "+254722111222" and need["consent"] == 1
    assert need["text"] == MESSAGE["text"]
    assert need["captured_at"] == "2025-11-25T10:50:00+00:00"  # from epoch milliseconds
    assert need["hidden"] == 0


@pytest.mark.parametrize(
    "how",
    ["header", "query", "form"],
)
def test_secret_by_header_query_or_field(client, node_home, sms_on, how):
    kwargs = {"data": dict(MESSAGE)}
    if how == "header":
        kwargs["headers"] = {"X-Sauti-Secret": SECRET}
    elif how == "query":
        kwargs["query_string"] = {"secret": SECRET}
    else:
        kwargs["data"]["secret"] = SECRET
    assert client.post("/api/v1/sms", **kwargs).status_code == 201
    assert len(_needs(node_home)) == 1


def test_retries_store_one_need_with_and_without_message_id(client, node_home, sms_on):
    with_id = {"from": "+254700000001", "message": "Shule haina walimu.", "message_id": "abc-17"}
    first = client.post("/api/v1/sms", data={**with_id, "secret": SECRET})
    retry = client.post("/api/v1/sms", data={**with_id, "secret": SECRET})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.get_json()["ref"] == retry.get_json()["ref"]
    # The same words from the same number with another message id are another need.
    other = client.post("/api/v1/sms", data={**with_id, "message_id": "abc-18", "secret": SECRET})
    assert other.status_code == 201
    without_id = {**MESSAGE, "secret": SECRET}
    assert client.post("/api/v1/sms", data=without_id).status_code == 201
    assert client.post("/api/v1/sms", data=without_id).status_code == 200
    later = {**without_id, "sent_at": "1764068000000"}  # sent again later: a new message
    assert client.post("/api/v1/sms", data=later).status_code == 201
    assert len(_needs(node_home)) == 4


def test_json_gateway_payload(client, node_home, sms_on):
    body = {
        "event": "sms:received",
        "payload": {
            "messageId": "m-1",
            "message": "Barabara imefungwa.",
            "phoneNumber": "+254711000111",
            "receivedAt": "2026-11-24T09:30:00+03:00",
        },
    }
    headers = {"X-Sauti-Secret": SECRET}
    assert client.post("/api/v1/sms", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/sms", json=body, headers=headers).status_code == 200
    [need] = _needs(node_home)
    assert need["respondent_contact"] == "+254711000111"
    assert need["captured_at"] == "2026-11-24T09:30:00+03:00"


def test_missing_fields_and_bad_json(client, node_home, sms_on):
    response = client.post("/api/v1/sms", data={"secret": SECRET, "text": "hello"})
    assert response.status_code == 422 and "from" in response.get_json()["details"]
    broken = client.post(
        "/api/v1/sms",
        data=b"{not json",
        headers={"Content-Type": "application/json", "X-Sauti-Secret": SECRET},
    )
    assert broken.status_code == 400
    assert _needs(node_home) == []


def test_webhook_is_rate_limited(client, sms_on):
    for i in range(60):
        data = {"from": "+254700000002", "text": f"message {i}", "secret": SECRET}
        assert client.post("/api/v1/sms", data=data).status_code == 201
    refused = client.post("/api/v1/sms", data={"from": "+2547", "text": "x", "secret": SECRET})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.get_json()["error"] == "too_many_requests"
