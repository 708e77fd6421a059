"""Attack 10: deep JSON gave 500s on the unauthenticated sync and SMS endpoints, and
a malformed saved-queue file was not a clear refusal. All read JSON through one
reader (app/api/request_json.json_object): 400, never a 500."""

import io

import pytest

from tests.conftest import csrf_token
from tests.sync_helpers import cli

from .conftest import deep_json


@pytest.mark.parametrize("path", ["/api/v1/sync/hello", "/api/v1/sync/start", "/api/v1/sms"])
def test_deep_json_is_a_400(family, path):
    cli("settings", "set", "sms_secret", "s3cret-s3cret-s3cret", "--home", family.region)
    for body in (deep_json(20_000), b"{\"msg\": " + deep_json(10_000) + b"}", b"\xff", b"[]"):
        answer = family.client.post(path, data=body, content_type="application/json")
        assert answer.status_code == 400, (path, answer.status_code)


def test_sync_messages_with_ill_typed_fields_are_a_clear_4xx(family):
    for msg in ({"msg": []}, {"msg": {"key": 1, "node_id": []}}, {"msg": {"key": "x", "node_id": "y"}}):
        answer = family.client.post("/api/v1/sync/hello", json=msg)
        assert 400 <= answer.status_code < 500


def test_a_malformed_queue_file_is_refused_clearly(family):
    from tests.conftest import add_user, login

    client = family.app.test_client()
    add_user(family.region, "fac", "facilitator")
    login(client, "fac")
    for raw in (deep_json(), b"\x00\xff", b'{"format": "sauti-offline-queue", "items": 7}'):
        answer = client.post(
            "/capture/queue-import",
            data={
                "csrf_token": csrf_token(client, "/capture/queue-import"),
                "queue_file": (io.BytesIO(raw), "queue.json"),
            },
            content_type="multipart/form-data",
        )
        assert answer.status_code == 400 and 'class="error"' in answer.get_data(as_text=True)
