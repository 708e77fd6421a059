"""Priorities with their evidence, and action plans with overdue detection."""

import datetime as dt

from app.store import actions, priorities, triage

from .council_helpers import capture, csrf, need_id
from .test_council_triage import setup  # noqa: F401  (fixture)

LOCALITY = "KE/47/westlands/kangemi"


def _accepted(setup, text, **fields):  # noqa: F811
    nid = need_id(setup["db"], capture(*setup["api"], text, **fields)["ref"])
    triage.change_status(setup["db"], nid, "accepted", user=setup["user"])
    return nid


def test_evidence_counts_needs_merged_into_the_grouped_ones(setup):  # noqa: F811
    db, user = setup["db"], setup["user"]
    a = _accepted(
        setup,
        "Borehole broken",
        gender="female",
        age_band="15-24",
        supporters=4,
        locality=LOCALITY + "/a",
        groups=["disability"],
    )
    b = _accepted(
        setup,
        "Borehole is broken",
        gender="male",
        age_band="35-44",
        supporters=2,
        locality=LOCALITY + "/b",
    )
    c = _accepted(
        setup,
        "borehole broken!",
        gender="female",
        age_band="25-34",
        supporters=1,
        locality=LOCALITY + "/b",
        groups=["disability", "displaced"],
    )
    triage.merge(db, c, a, user=user)  # a: 5 supporters, carries c's respondent
    pid = priorities.create(
        db,
        title="Repair the borehole",
        description="",
        goals=[6],
        locality=LOCALITY,
        user=user,
        need_ids=[a, b],
    )
    ev = priorities.evidence(db)[pid]
    assert ev["needs"] == 3 and ev["supporters"] == 7
    assert ev["women"] == 2 and ev["youth"] == 1
    assert dict(ev["groups"]) == {"disability": 2, "displaced": 1}
    assert dict(ev["localities"]) == {LOCALITY + "/a": 1, LOCALITY + "/b": 2}
    statuses = {r[0] for r in db.execute("SELECT status FROM needs WHERE id IN (?, ?)", [a, b])}
    assert statuses == {"planned"}
    page = setup["client"].get("/council/priorities").get_data(as_text=True)
    assert "67% of the needs (2)" in page and "33% of the needs (1)" in page


def test_priorities_are_created_ranked_and_edited_through_the_pages(setup):  # noqa: F811
    db, client = setup["db"], setup["client"]
    a = _accepted(setup, "Hakuna maji")
    token = csrf(client)
    response = client.post(
        "/council/priorities/new",
        data={
            "csrf_token": token,
            "title": "Maji safi",
            "description": "Kisima kipya",
            "goals": ["6", "3"],
            "locality": LOCALITY,
            "need": [str(a)],
        },
    )
    assert response.status_code == 302
    first = int(response.headers["Location"].rsplit("/", 1)[1])
    second = priorities.create(
        db, title="Barabara", description="", goals=[9], locality=LOCALITY, user=setup["user"]
    )
    assert [p["id"] for p in priorities.list_all(db, priorities.ACTIVE)] == [first, second]
    client.post(f"/council/priorities/{second}/move", data={"csrf_token": token, "direction": "up"})
    assert [p["rank"] for p in priorities.list_all(db, priorities.ACTIVE)] == [1, 2]
    assert [p["id"] for p in priorities.list_all(db, priorities.ACTIVE)] == [second, first]
    assert priorities.get(db, first)["goals"] == [3, 6]
    # an empty title is refused, a locality outside the node too
    bad = client.post(
        "/council/priorities/new", data={"csrf_token": token, "title": "", "locality": "UG/1"}
    )
    assert bad.status_code == 422
    kinds = [
        r[0]
        for r in db.execute(
            "SELECT kind FROM events WHERE record = ? AND kind = 'priority'", [str(first)]
        )
    ]
    assert len(kinds) >= 3  # created, need added, re-ranked
    # taking the need out makes it accepted again
    client.post(f"/council/priorities/{first}/needs/remove", data={"csrf_token": token, "need": a})
    assert db.execute("SELECT status FROM needs WHERE id = ?", [a]).fetchone()[0] == "accepted"


def test_overdue_with_a_fixed_date():
    today = dt.date(2026, 3, 15)
    cases = [
        ({"due_date": "2026-03-14", "status": "planned"}, True),
        ({"due_date": "2026-03-14", "status": "in_progress"}, True),
        ({"due_date": "2026-03-14", "status": "blocked"}, True),
        ({"due_date": "2026-03-14", "status": "done"}, False),
        ({"due_date": "2026-03-15", "status": "planned"}, False),
        ({"due_date": "2026-04-01", "status": "planned"}, False),
        ({"due_date": None, "status": "planned"}, False),
    ]
    for action, expected in cases:
        assert actions.is_overdue(action, today) is expected, action


def test_overdue_query_with_a_fixed_date(setup):  # noqa: F811
    db = setup["db"]
    pid = priorities.create(
        db, title="P", description="", goals=[], locality=LOCALITY, user=setup["user"]
    )
    late = actions.create(db, pid, what="Dig", due_date="2026-03-01")
    done = actions.create(db, pid, what="Buy pipes", due_date="2026-03-01", status="done")
    later = actions.create(db, pid, what="Open", due_date="2026-06-01")
    assert [a["id"] for a in actions.overdue(db, today=dt.date(2026, 3, 15))] == [late]
    assert [a["id"] for a in actions.overdue(db, today=dt.date(2026, 7, 1))] == [late, later]
    assert done


def test_actions_through_the_pages_and_overdue_stands_out(setup):  # noqa: F811
    db, client = setup["db"], setup["client"]
    pid = priorities.create(
        db, title="Water", description="", goals=[6], locality=LOCALITY, user=setup["user"]
    )
    token = csrf(client)
    form = {
        "csrf_token": token,
        "what": "Repair the pump",
        "responsible": "Ward water committee",
        "budget_amount": "150,000.50",
        "budget_currency": "KES",
        "start_date": "2000-01-01",
        "due_date": "2000-02-01",
        "status": "in_progress",
    }
    assert client.post(f"/council/priorities/{pid}/actions", data=form).status_code == 302
    row = db.execute("SELECT budget_amount, budget_currency, responsible FROM actions").fetchone()
    assert tuple(row) == ("150000.50", "KES", "Ward water committee")
    for field, value in [
        ("budget_currency", "XYZ"),
        ("due_date", "1999-01-01"),
        ("what", ""),
        ("budget_amount", "-5"),
        ("start_date", "2000-13-01"),
    ]:
        response = client.post(f"/council/priorities/{pid}/actions", data=form | {field: value})
        assert response.status_code == 422, field
    page = client.get("/council/actions").get_data(as_text=True)
    overdue_box = page.split("overdue-box")[1].split("</section>")[0]
    assert "Repair the pump" in overdue_box and "overdue" in overdue_box
    action_id = db.execute("SELECT id FROM actions").fetchone()[0]
    note = {"csrf_token": token, "date": "2000-01-20", "note": "Pump parts ordered"}
    assert client.post(f"/council/actions/{action_id}/notes", data=note).status_code == 302
    assert "Pump parts ordered" in client.get(f"/council/actions/{action_id}").get_data(
        as_text=True
    )
    client.post(f"/council/actions/{action_id}", data=form | {"status": "done"})
    assert db.execute("SELECT status, done_date IS NOT NULL FROM actions").fetchone()[:] == (
        "done",
        1,
    )
    assert "overdue-box" not in client.get("/council/actions").get_data(as_text=True)
    events = db.execute("SELECT count(*) FROM events WHERE kind = 'action'").fetchone()[0]
    assert events == 3  # created, note, updated


def test_meeting_report_shows_priorities_decisions_and_actions_due(setup):  # noqa: F811
    from app.store import meetings

    db, client, user = setup["db"], setup["client"], setup["user"]
    a = _accepted(setup, "Maji", gender="female")
    set_aside = need_id(db, capture(*setup["api"], "Something else")["ref"])
    triage.change_status(db, set_aside, "set_aside", user=user, reason="other")
    pid = priorities.create(db, title="Clean water", description="", goals=[6],
                            locality=LOCALITY, user=user, need_ids=[a])  # fmt: skip
    actions.create(db, pid, what="Fix the pump", due_date="2000-01-01")
    today = dt.date.today().isoformat()
    meeting = meetings.open_meeting(db, title="Baraza", locality=LOCALITY, date=today,
                                    opened_by=user["id"])  # fmt: skip
    for query in (f"?meeting={meeting}", f"?month={today[:7]}"):
        html = client.get("/council/report" + query).get_data(as_text=True)
        assert "Clean water" in html and "100% of the needs (1)" in html
        assert "1 need accepted" in html and "1 need planned" in html and "1 need set aside" in html
        assert "priority created" in html
        assert "Fix the pump" in html and "overdue" in html
    assert client.get("/council/report?meeting=999").status_code == 404


def test_action_texts_reach_the_board_only_once_checked_with_their_priority(node_home, app):
    """share_text=reviewed: a priority's actions are shared (and shown on the board)
    once a council member checks the priority's texts; a new progress note is unread
    text, so the action waits for a new check."""
    from .conftest import LOCALITY, add_user, login
    from .council_helpers import db_of, user_of

    add_user(node_home, "cm", "council")
    db = db_of(node_home)
    pid = priorities.create(db, title="Kisima kipya", description="", goals=[6],
                            locality=LOCALITY, user=user_of(db, "cm"))  # fmt: skip
    aid = actions.create(db, pid, what="Rekebisha pampu", responsible="Kamati",
                         status="in_progress")  # fmt: skip
    client = app.test_client()
    login(client, "cm")

    def board() -> str:
        return app.test_client().get("/board").get_data(as_text=True)

    assert "Rekebisha pampu" not in board()
    token = csrf(client, f"/council/priorities/{pid}")
    client.post(f"/council/priorities/{pid}/check", data={"checked": "1", "csrf_token": token})
    assert "Kisima kipya" in board() and "Rekebisha pampu" in board()
    actions.add_note(db, aid, date=dt.date.today().isoformat(), note="Bomba limefika",
                     user_id=None)  # fmt: skip
    assert "Bomba limefika" not in board() and "Rekebisha pampu" not in board()
    db.close()
