"""Meeting mode: open, attendance counts, many needs in a row, +1, close."""

import json
import re

from app.node import home
from app.store import events


def db_of(node_home):
    return home.open_home(node_home).connect()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def open_meeting(client, **fields) -> tuple[int, str]:
    page = client.get("/meetings").get_data(as_text=True)
    data = {"csrf_token": hidden(page, "csrf_token"), "title": "Baraza la Kangemi"}
    data.update({"date": "2026-11-20"} | fields)
    response = client.post("/meetings", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return meeting_id, data["csrf_token"]


def meeting_need(client, meeting_id, text, **fields):
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    data = {
        "csrf_token": hidden(page, "csrf_token"),
        "uuid": hidden(page, "uuid"),
        "locality": hidden(page, "locality"),
        "text": text,
        "language": "sw",
        "category": "water",
    }
    data.update(fields)
    return client.post(f"/meetings/{meeting_id}/needs", data=data)


def test_meeting_open_attendance_needs_plus_one_close(node_home, signed_in, api):
    client = signed_in("facilitator")
    meeting_id, token = open_meeting(client, locality="KE/47/westlands/kangemi/gichagi")
    db = db_of(node_home)

    counts = {"att_female_15-24": "12", "att_male_15-24": "9", "att_female_65+": "3"}
    response = client.post(
        f"/meetings/{meeting_id}/attendance", data={"csrf_token": token} | counts
    )
    assert response.status_code == 303
    rows = db.execute(
        "SELECT gender, age_band, count FROM meeting_attendance ORDER BY count DESC"
    ).fetchall()
    assert rows == [("female", "15-24", 12), ("male", "15-24", 9), ("female", "65+", 3)]
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert 'name="att_female_15-24" min="0" step="1" inputmode="numeric" value="12"' in page
    assert "24 people" in page

    refs = []
    for text in ("Maji safi", "Shule ya msingi", "Taa za barabarani"):
        response = meeting_need(client, meeting_id, text)
        assert response.status_code == 303
        refs.append(re.search(r"saved=([A-Z0-9-]+)", response.headers["Location"]).group(1))
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert refs[-1] in after
    assert re.search(r'<option value="sw" selected>', after)
    stored = db.execute("SELECT channel, meeting_id, locality FROM needs ORDER BY id").fetchall()
    assert stored == [("meeting", meeting_id, "KE/47/westlands/kangemi/gichagi")] * 3

    # "+1" on an existing need instead of a duplicate; a double tap counts once.
    plus = {"csrf_token": token, "expected": "1"}
    for _ in range(2):
        response = client.post(f"/meetings/{meeting_id}/needs/{refs[0]}/plus-one", data=plus)
        assert response.status_code == 303
    supporters = db.execute("SELECT supporters FROM needs WHERE ref = ?", [refs[0]]).fetchone()
    assert supporters == (2,)
    client.post(
        f"/meetings/{meeting_id}/needs/{refs[0]}/plus-one",
        data={"csrf_token": token, "expected": "2"},
    )
    assert db.execute("SELECT count(*) FROM needs").fetchone()[0] == 3
    history = db.execute("SELECT action, changes FROM need_history ORDER BY id").fetchall()
    assert [(a, json.loads(c)) for a, c in history] == [
        ("plus_one", {"supporters": [1, 2]}),
        ("plus_one", {"supporters": [2, 3]}),
    ]
    need_page = client.get(f"/needs/{refs[0]}").get_data(as_text=True)
    assert "<dt>People</dt><dd>3</dd>" in need_page
    assert need_page.count("+1 at a meeting") == 2

    listed = client.get(f"/needs?meeting={meeting_id}").get_data(as_text=True)
    assert all(ref in listed for ref in refs)
    api_client, headers = api("analyst")
    answer = api_client.get(f"/api/v1/needs?meeting={meeting_id}", headers=headers).get_json()
    assert sorted(n["ref"] for n in answer["items"]) == sorted(refs)
    assert {n["meeting"] for n in answer["items"]} == {meeting_id}
    assert api_client.get("/api/v1/needs?meeting=999", headers=headers).get_json()["total"] == 0
    assert api_client.get("/api/v1/needs?meeting=x", headers=headers).status_code == 422

    before = events.last_seq(db)
    response = client.post(f"/meetings/{meeting_id}/close", data={"csrf_token": token})
    assert response.status_code == 303
    assert db.execute("SELECT status FROM meetings").fetchone()[0] == "closed"
    new_events = [(e["kind"], e["record"]) for e in events.since(db, before)]
    assert new_events == [("meeting", str(meeting_id))]
    kinds = [e["kind"] for e in events.since(db, 0)]
    assert kinds.count("need") == 5  # three captures, two +1

    # Closed: nothing more can be recorded.
    closed_page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert 'name="uuid"' not in closed_page and "plus-one" not in closed_page
    late_need = {
        "csrf_token": token,
        "uuid": "0d1c3a52-9f0e-4a55-8a52-3f3f0c1d2e4b",
        "text": "Late need",
        "language": "sw",
    }
    assert client.post(f"/meetings/{meeting_id}/needs", data=late_need).status_code == 409
    again = client.post(f"/meetings/{meeting_id}/close", data={"csrf_token": token})
    assert again.status_code == 409
    late = client.post(
        f"/meetings/{meeting_id}/attendance", data={"csrf_token": token, "att_male_65+": "1"}
    )
    assert late.status_code == 409
    assert events.last_seq(db) == before + 1


def test_meeting_form_errors(node_home, signed_in):
    client = signed_in("council")
    page = client.get("/meetings").get_data(as_text=True)
    token = hidden(page, "csrf_token")
    response = client.post(
        "/meetings", data={"csrf_token": token, "title": " ", "date": "20 Nov", "locality": "TZ/1"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("title", "date", "locality"):
        assert f'id="{field}-error"' in html
    assert db_of(node_home).execute("SELECT count(*) FROM meetings").fetchone()[0] == 0

    meeting_id, token = open_meeting(client)
    bad = client.post(
        f"/meetings/{meeting_id}/attendance",
        data={"csrf_token": token, "att_female_0-14": "-3", "att_male_0-14": "4"},
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert db_of(node_home).execute("SELECT count(*) FROM meeting_attendance").fetchone()[0] == 0

    empty = meeting_need(client, meeting_id, "")
    assert empty.status_code == 422
    assert 'id="text-error"' in empty.get_data(as_text=True)


def test_plus_one_only_for_needs_of_that_meeting(node_home, signed_in):
    client = signed_in("facilitator")
    first, token = open_meeting(client, title="One")
    second, _token = open_meeting(client, title="Two")
    response = meeting_need(client, first, "Maji")
    ref = re.search(r"saved=([A-Z0-9-]+)", response.headers["Location"]).group(1)
    wrong = client.post(f"/meetings/{second}/needs/{ref}/plus-one", data={"csrf_token": token})
    assert wrong.status_code == 404
    assert db_of(node_home).execute("SELECT supporters FROM needs").fetchone()[0] == 1
