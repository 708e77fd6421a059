"""Respondent contacts are erased after contact_retention_days; nothing else is."""

import datetime as dt
import json
import uuid

from app.node import home, scheduler, settings
from app.privacy import retention


def _capture(client, headers, text, contact, name="Mary Achieng"):
    body = {
        "uuid": str(uuid.uuid4()),
        "text": text,
        "language": "sw",
        "respondent": {"name": name, "contact": contact},
        "consent": True,
    }
    response = client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 201
    return body["uuid"]


def test_retention_erases_old_contacts_only(api, node_home):
    client, headers = api("facilitator")
    old = _capture(client, headers, "Kisima kimeharibika.", "0722 111 222")
    edge = _capture(client, headers, "Barabara mbovu.", "0733 000 111")
    fresh = _capture(client, headers, "Hakuna dawa.", "0744 222 333")
    now = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)
    db = home.open_home(node_home).connect()
    try:
        settings.set_value(db, "contact_retention_days", "30")
        for key, age in ((old, dt.timedelta(days=31)), (edge, dt.timedelta(days=29, hours=23)),
                         (fresh, dt.timedelta(days=1))):  # fmt: skip
            at = (now - age).isoformat(timespec="seconds")
            db.execute(
                "UPDATE needs SET received_at = ?, updated_at = ? WHERE uuid = ?", [at, at, key]
            )
        assert retention.erase_expired(db, now=now) == 1
        rows = {r["uuid"]: r for r in db.query("SELECT * FROM needs")}
        assert rows[old]["respondent_contact"] is None
        assert rows[old]["respondent_name"] == "Mary Achieng"  # only the contact is erased
        assert rows[old]["text"] == "Kisima kimeharibika."
        assert rows[edge]["respondent_contact"] == "0733 000 111"
        assert rows[fresh]["respondent_contact"] == "0744 222 333"
        history = list(db.query("SELECT * FROM need_history WHERE action = 'retention'"))
        assert [h["need_id"] for h in history] == [rows[old]["id"]]
        assert "0722" not in history[0]["changes"]
        assert json.loads(history[0]["changes"])["respondent_contact"][1] is None
        # Running again erases nothing more and records nothing more.
        assert retention.erase_expired(db, now=now) == 0
        later = now + dt.timedelta(days=2)
        assert retention.erase_expired(db, now=later) == 1
        assert (
            db.execute(
                "SELECT count(*) FROM needs WHERE respondent_contact IS NOT NULL"
            ).fetchone()[0]
            == 1
        )
    finally:
        db.close()


def test_retention_job_is_scheduled_and_runs_on_a_home(api, node_home):
    assert retention.erase_old_contacts in [fn for fn, _trigger in scheduler.jobs()]
    client, headers = api("facilitator")
    key = _capture(client, headers, "Taa za barabarani.", "0755 444 555")
    db = home.open_home(node_home).connect()
    try:
        db.execute(
            "UPDATE needs SET received_at = '2020-01-01T00:00:00+00:00' WHERE uuid = ?", [key]
        )
    finally:
        db.close()
    assert retention.erase_old_contacts(home.open_home(node_home)) == 1
    db = home.open_home(node_home).connect()
    try:
        assert db.execute("SELECT respondent_contact FROM needs").fetchone()[0] is None
    finally:
        db.close()
