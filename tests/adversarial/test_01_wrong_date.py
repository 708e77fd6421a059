"""Attack 1: one wrong date (year 0202) used to stop a node's sync for good.

Now every way in refuses a year outside 1900-2199 with 422, a node never seals a
record its parent would refuse (held back with an alert, the rest flows), and a
node already stuck with such a record in an unsent batch gets out on its next push."""

import io
import json
import uuid

from app.node import home
from app.store import sync_state
from sync import anonymize, http_push
from sync.batch import make_batch
from sync.local import Local
from tests.conftest import LiveServer, csrf_token
from tests.sync_helpers import Capturer, counts, query

from .conftest import KANGEMI

BAD = "0202-06-15T10:00:00Z"


def test_every_way_in_refuses_a_year_outside_1900_2199(family, monkeypatch):
    capture = Capturer(family.a)
    for when in (BAD, "1899-12-31", "2200-01-01T00:00:00"):
        body = {"uuid": str(uuid.uuid4()), "text": "Maji", "language": "sw", "captured_at": when}
        answer = capture.client.post("/api/v1/needs", json=body, headers=capture.headers)
        assert answer.status_code == 422 and "captured_at" in answer.get_json()["details"]
    for when in ("1900-01-01", "2199-06-30T12:00:00+03:00"):
        capture.need(captured_at=when)

    client = capture.client
    client.post("/api/v1/logout")
    from tests.conftest import add_user, login

    add_user(family.a, "fac", "facilitator")
    login(client, "fac")
    # paper forms
    csv_text = f"text,language,category,captured_at\r\nKisima,sw,water,{BAD}\r\n"
    preview = client.post(
        "/capture/paper",
        data={
            "csrf_token": csrf_token(client, "/capture/paper"),
            "file": (io.BytesIO(csv_text.encode()), "forms.csv"),
        },
        content_type="multipart/form-data",
    )
    assert "captured_at" in preview.get_data(as_text=True)
    # the offline queue's saved file
    item = {"uuid": str(uuid.uuid4()), "text": "Maji", "language": "sw", "captured_at": BAD}
    document = {"format": "sauti-offline-queue", "items": [{"queue": "needs", "body": item}]}
    page = client.post(
        "/capture/queue-import",
        data={
            "csrf_token": csrf_token(client, "/capture/queue-import"),
            "queue_file": (io.BytesIO(json.dumps(document).encode()), "queue.json"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert 'data-outcome="invalid"' in page and "captured_at" in page
    # the SMS gateway's sent_at
    from tests.sync_helpers import cli

    cli("settings", "set", "sms_secret", "s3cret-s3cret-s3cret", "--home", family.a)
    sms = capture.app.test_client().post(
        "/api/v1/sms",
        data={"from": "+2547001", "text": "Maji", "sent_at": BAD, "secret": "s3cret-s3cret-s3cret"},
    )
    assert sms.status_code == 422, sms.get_data(as_text=True)
    assert len(query(family.a, "SELECT id FROM needs")) == 2


def _plant_bad_week(path, need_id: int) -> None:
    """What an older Sauti stored for a need captured in year 0202."""
    db = home.open_home(path).connect()
    try:
        db.execute("UPDATE needs SET week = '202-W24' WHERE id = ?", [need_id])
        db.conn.commit()
    finally:
        db.close()


def test_a_failing_record_is_held_back_and_the_rest_flows(family):
    capture = Capturer(family.a)
    bad = capture.need(text="Tarehe mbaya")
    _plant_bad_week(family.a, 1)
    capture.need(text="Tarehe nzuri")
    server = LiveServer(family.region).start()
    try:
        from tests.sync_helpers import cli

        cli("parent", "set", server.url, "--key", (family.region / "node.pub").read_text().strip(),
            "--home", family.a)
        local = Local.open(home.open_home(family.a))
        try:
            result = http_push.push(local)
            assert result["bundles"] == 1
            summary = sync_state.summary(local.db)
        finally:
            local.close()
    finally:
        server.stop()
    assert counts(family.region)["need"] == 1
    assert summary["held_back"] == 1
    assert [a["kind"] for a in summary["alerts"]] == ["held_back"]
    assert "week" in summary["alerts"][0]["message"] and bad["ref"]


def test_a_node_already_stuck_gets_out_on_its_next_push(family):
    capture = Capturer(family.a)
    capture.need(text="Tarehe mbaya")
    capture.need(text="Tarehe nzuri")
    _plant_bad_week(family.a, 1)
    # an older Sauti sealed the bad record without checking it
    local = Local.open(home.open_home(family.a))
    try:
        from app.store import events
        from app.store.db import write

        pending = events.since(local.db, 0, limit=100)
        records = anonymize.shared_records(local.db, pending)
        assert any(r["week"] == "202-W24" for _, r in records)
        stuck = make_batch(
            records,
            signing_key=local.signing_key,
            origin=local.node_id,
            locality=KANGEMI,
            first=1,
            last=pending[-1]["seq"],
        )
        with write(local.db):
            sync_state.add_batch(
                local.db, first=1, last=pending[-1]["seq"], batch_hash=stuck.hash,
                data=stuck.to_bytes(), records=len(records),
            )
    finally:
        local.close()
    server = LiveServer(family.region).start()
    try:
        from tests.sync_helpers import cli

        cli("parent", "set", server.url, "--key", (family.region / "node.pub").read_text().strip(),
            "--home", family.a)
        local = Local.open(home.open_home(family.a))
        try:
            http_push.push(local)
            assert sync_state.pending(local.db) == 0
            assert sync_state.summary(local.db)["held_back"] == 1
        finally:
            local.close()
    finally:
        server.stop()
    assert counts(family.region)["need"] == 1
