"""Council forms never lose what was typed: a refused form comes back with the
values and the error beside its field; decisions are confirmed, undone where
the status table allows, and bring the queue back at the next need."""

import re

from app.store import priorities, triage

from .council_helpers import capture, csrf, need_id
from .test_council_triage import setup  # noqa: F401  (fixture)

LOCALITY = "KE/47/westlands/kangemi"


def _priority(setup):  # noqa: F811
    return priorities.create(
        setup["db"], title="Maji", description="", goals=[6], locality=LOCALITY,
        user=setup["user"],
    )  # fmt: skip


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error c-field-error" id="{field}-error"[^>]*>([^<]*)</p>', html)
    assert match, f"no error beside {field}"
    assert f'aria-describedby="{field}-error"' in html
    return match.group(1)


def test_a_refused_action_comes_back_with_what_was_typed(setup):  # noqa: F811
    client, pid = setup["client"], _priority(setup)
    form = {
        "csrf_token": csrf(client),
        "what": "Nunua mabomba <b>",
        "responsible": "Kamati ya maji",
        "budget_amount": "150 mil",
        "budget_currency": "KES",
        "due_date": "2030-02-01",
        "start_date": "2030-03-01",
    }
    response = client.post(f"/council/priorities/{pid}/actions", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Nunua mabomba &lt;b&gt;"' in html and 'value="150 mil"' in html
    assert 'value="Kamati ya maji"' in html and 'value="2030-03-01"' in html
    assert "mil" in _field_error(html, "budget_amount")
    assert "before the start" in _field_error(html, "due_date")
    assert "<details class=\"no-print c-details\" open>" in html
    assert setup["db"].execute("SELECT count(*) FROM actions").fetchone()[0] == 0
    ok = form | {"budget_amount": "150,000 KSh", "start_date": "2030-01-01"}
    response = client.post(f"/council/priorities/{pid}/actions", data=ok)
    assert response.status_code == 302 and response.headers["Location"].endswith("#actions")
    row = setup["db"].execute("SELECT budget_amount, budget_currency FROM actions").fetchone()
    assert tuple(row) == ("150000", "KES")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Action added" in page.split('id="actions"')[1]


def test_a_refused_note_and_a_refused_edit_keep_their_text(setup):  # noqa: F811
    client, pid = setup["client"], _priority(setup)
    from app.store import actions

    action = actions.create(setup["db"], pid, what="Chimba")
    token = csrf(client)
    response = client.post(
        f"/council/actions/{action}/notes", data={"csrf_token": token, "date": "2030-13-01",
                                                 "note": "Mabomba yamefika"},
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Mabomba yamefika</textarea>" in html
    assert "YYYY-MM-DD" in _field_error(html, "date")
    response = client.post(
        f"/council/priorities/{pid}/edit",
        data={"csrf_token": token, "title": "", "description": "Maelezo marefu"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Maelezo marefu</textarea>" in html
    assert _field_error(html, "edit-title")
    assert priorities.get(setup["db"], pid)["title"] == "Maji"


def test_a_ballot_with_a_clash_comes_back_as_chosen(setup):  # noqa: F811
    client, db = setup["client"], setup["db"]
    ids = [_priority(setup) for _ in range(3)]
    token = csrf(client)
    assert client.post("/council/votes", data={"csrf_token": token}).status_code == 302
    round_id = db.execute("SELECT max(id) FROM vote_rounds").fetchone()[0]
    places = {f"place-{ids[0]}": "1", f"place-{ids[1]}": "1", f"place-{ids[2]}": "٣"}
    response = client.post(
        f"/council/votes/{round_id}/ballot", data={"csrf_token": token, **places}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for pid in ids[:2]:
        assert "more than one" in _field_error(html, f"place-{pid}")
        chosen = re.search(rf'<select name="place-{pid}".*?</select>', html, re.S).group(0)
        assert '<option value="1" selected>' in chosen
    huge = {k: "9" * 5000 for k in places}
    response = client.post(f"/council/votes/{round_id}/ballot", data={"csrf_token": token, **huge})
    assert response.status_code == 422


def test_too_few_priorities_for_a_vote_keeps_the_title(setup):  # noqa: F811
    client = setup["client"]
    response = client.post("/council/votes", data={"csrf_token": csrf(client), "title": "Mwaka"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and 'value="Mwaka"' in html and "two active" in html


def test_new_priority_picker_filters_pages_and_keeps_the_ticks(setup):  # noqa: F811
    client, db = setup["client"], setup["db"]
    ids = []
    for i in range(20):
        nid = need_id(db, capture(*setup["api"], f"Barabara mbovu {i}", category="roads")["ref"])
        triage.change_status(db, nid, "accepted", user=setup["user"])
        ids.append(nid)
    water = need_id(db, capture(*setup["api"], "Hakuna maji", category="water")["ref"])
    triage.change_status(db, water, "accepted", user=setup["user"])
    html = client.get("/council/priorities/new").get_data(as_text=True)
    assert html.count('class="c-check c-pick"') == 15 and "Page 1 of 2" in html
    form = {"csrf_token": csrf(client), "title": "Barabara", "need": [str(ids[-1])], "npage": "2"}
    response = client.post("/council/priorities/new", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="Barabara"' in html and "Page 2 of 2" in html
    assert f'<input type="hidden" name="need" value="{ids[-1]}">' in html
    assert db.execute("SELECT count(*) FROM priorities").fetchone()[0] == 0
    found = client.post(
        "/council/priorities/new", data={**form, "npage": "", "find": "1", "ncat": "water"}
    ).get_data(as_text=True)
    assert found.count('class="c-check c-pick"') == 1 and "Hakuna maji" in found
    del form["npage"]
    response = client.post("/council/priorities/new", data={**form, "need": [str(ids[-1]), str(water)]})
    assert response.status_code == 302
    pid = int(response.headers["Location"].rsplit("/", 1)[1])
    assert {n["id"] for n in priorities.needs_of(db, pid)} == {ids[-1], water}
    # the priority's own picker: a search by words, by GET
    page = client.get(f"/council/priorities/{pid}?nq=Barabara&npage=99").get_data(as_text=True)
    assert "Page 2 of 2" in page and '<details class="no-print c-details" id="add-needs" open>' in page


def test_triage_queue_filters_pages_and_returns_at_the_next_need(setup):  # noqa: F811
    client = setup["client"]
    roads = [_ref(setup, f"Barabara {i}", "roads") for i in range(12)]
    _ref(setup, "Hakuna maji", "water")
    html = client.get("/council/triage").get_data(as_text=True)
    assert html.count('<li id="need-') == 10 and "Page 1 of 2" in html
    html = client.get("/council/triage?category=water").get_data(as_text=True)
    assert html.count('<li id="need-') == 1 and "Hakuna maji" in html
    html = client.get("/council/triage?q=Barabara&page=999999999999999999").get_data(as_text=True)
    assert "Page 1 of 2" in html  # a page number out of range is the first page
    html = client.get("/council/triage?category=roads&page=2").get_data(as_text=True)
    order = re.findall(r'<li id="need-(\d+)" tabindex', html)
    assert len(order) == 2
    token = csrf(client)
    response = client.post(
        f"/council/needs/{order[0]}/status",
        data={"csrf_token": token, "status": "accepted", "next": "triage", "then": order[1],
              "category": "roads", "page": "2"},
    )  # fmt: skip
    location = response.headers["Location"]
    assert location.endswith(f"/council/triage?category=roads&page=2#need-{order[1]}")
    html = client.get(location).get_data(as_text=True)
    mine = html.split(f'<li id="need-{order[1]}"')[1].split("</li>")[0]
    assert "accepted." in mine and "Undo" not in mine  # accepted -> new: not in the table
    assert len(roads) == 12


def _ref(setup, text, category):  # noqa: F811
    return capture(*setup["api"], text, category=category)["ref"]


def test_set_aside_merge_and_group_merge_are_confirmed_and_undone(setup):  # noqa: F811
    client, db = setup["client"], setup["db"]
    a, b, c = (need_id(db, _ref(setup, t, "water")) for t in ("Maji A", "Maji B", "Maji C"))
    token = csrf(client)
    back = {"csrf_token": token, "next": "triage"}
    client.post(f"/council/needs/{a}/status", data={**back, "status": "set_aside",
                                                    "reason": "out_of_remit", "then": str(b)})
    html = client.get("/council/triage").get_data(as_text=True)
    undo = re.search(r'<form method="post" action="(/council/needs/\d+/status)">(.*?)</form>',
                     html.split(f'id="need-{b}"')[1], re.S)  # fmt: skip
    assert "out of" in html.split(f'id="need-{b}"')[1] and undo
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', undo.group(2)))
    assert fields["status"] == "new" and fields["then"] == str(a)
    response = client.post(undo.group(1), data={**fields, "csrf_token": token})
    assert response.headers["Location"].endswith(f"#need-{a}")
    assert db.execute("SELECT status FROM needs WHERE id = ?", [a]).fetchone()[0] == "new"

    # a merge typed on the need's page with an unknown code keeps the code and says why
    response = client.post(f"/council/needs/{a}/merge", data={"csrf_token": token,
                                                              "into_ref": "nope-42"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="nope-42"' in html
    assert "no such need" in _field_error(html, "into_ref")
    client.post(f"/council/needs/{a}/merge", data={"csrf_token": token, "into": str(b)})
    page = client.get(f"/council/needs/{b}").get_data(as_text=True)
    assert "merged into" in page and "Undo the merge" in page
    client.post(f"/council/needs/{a}/unmerge", data={"csrf_token": token})
    assert db.execute("SELECT status FROM needs WHERE id = ?", [a]).fetchone()[0] == "new"

    response = client.post("/council/similar/merge", data={"csrf_token": token, "into": str(c),
                                                           "need": [str(a), str(b), str(c)]})
    assert response.headers["Location"].endswith("#clusters")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 needs merged into" in html
    undo = re.search(r'action="/council/similar/unmerge">(.*?)</form>', html, re.S).group(1)
    assert sorted(re.findall(r'name="need" value="(\d+)"', undo)) == sorted([str(a), str(b)])
    client.post("/council/similar/unmerge", data={"csrf_token": token, "need": [a, b]})
    statuses = {r[0] for r in db.execute("SELECT status FROM needs WHERE id IN (?, ?)", [a, b])}
    assert statuses == {"new"}
    assert db.execute("SELECT supporters FROM needs WHERE id = ?", [c]).fetchone()[0] == 1
    response = client.post("/council/similar/merge", data={"csrf_token": token, "into": str(c)})
    assert response.status_code == 302  # nothing ticked: a message, not a bare 422
    assert "Tick at least one" in client.get(response.headers["Location"]).get_data(as_text=True)
