"""The facilitator's capture form, receipt, need page, editing and
"checked for sharing" — through the real app on a real node database."""

import json
import re

import pytest

from app.node import home
from app.store import categories as category_store
from app.store import events
from tests.conftest import add_user, csrf_token, login


def db_of(node_home):
    return home.open_home(node_home).connect()


def form_of(client, path="/capture") -> dict:
    """The hidden fields of the page's capture form (csrf_token, uuid)."""
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "uuid": re.search(r'name="uuid" value="([^"]+)"', html).group(1),
    }


def capture(client, **fields):
    data = form_of(client)
    data.update({"text": "Tunahitaji maji safi", "language": "sw", "category": "water"})
    data.update(fields)
    return client.post("/capture", data=data)


def ref_from(response) -> str:
    match = re.search(r"/capture/receipt/([A-Z0-9-]+)$", response.headers["Location"])
    return match.group(1)


def test_facilitator_captures_a_need_and_gets_a_receipt(node_home, signed_in):
    client = signed_in("facilitator")
    form = client.get("/capture").get_data(as_text=True)
    assert 'data-offline-queue="needs"' in form
    assert 'name="respondent_name"' in form and 'name="respondent_contact"' in form
    assert "cat-water.svg" in form and 'name="category"' in form

    response = capture(client, supporters="3", gender="female", age_band="15-24", groups="migrant")
    assert response.status_code == 303
    ref = ref_from(response)
    assert re.fullmatch(r"KAN-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", ref)

    receipt = client.get(f"/capture/receipt/{ref}").get_data(as_text=True)
    assert f'class="ref" lang="en" dir="ltr">{ref}<' in receipt
    assert "sdg-6.svg" in receipt  # the category's goal, shown without JavaScript
    assert 'href="/capture"' in receipt  # capture the next need

    db = db_of(node_home)
    need = db.execute(
        "SELECT text, language, category, goals, supporters, gender, age_band, groups, channel,"
        " captured_by FROM needs WHERE ref = ?",
        [ref],
    ).fetchone()
    assert need[:9] == (
        "Tunahitaji maji safi",
        "sw",
        "water",
        "[6]",
        3,
        "female",
        "15-24",
        '["migrant"]',
        "facilitator",
    )
    assert need[9] is not None
    assert [e["kind"] for e in events.since(db, 0)] == ["need"]


def test_field_errors_are_shown_next_to_fields(node_home, signed_in):
    client = signed_in("facilitator")
    response = capture(client, text="   ", language="not a tag", category="nope", supporters="0")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("text", "language", "category", "supporters"):
        assert f'id="{field}-error"' in html, field
        assert f'aria-describedby="{field}-error"' in html
    assert 'value="not a tag"' in html  # what was typed is kept
    assert db_of(node_home).execute("SELECT count(*) FROM needs").fetchone()[0] == 0


def test_double_submit_of_the_same_form_stores_one_need(node_home, signed_in):
    client = signed_in("facilitator")
    data = form_of(client)
    data.update({"text": "Barabara mbovu", "language": "sw", "category": "roads"})
    first = client.post("/capture", data=data)
    second = client.post("/capture", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db_of(node_home).execute("SELECT count(*) FROM needs").fetchone()[0] == 1

    # The same uuid with different content is not silently merged: the page
    # says so and offers a fresh uuid.
    data["text"] = "Something else entirely"
    third = client.post("/capture", data=data)
    assert third.status_code == 409
    html = third.get_data(as_text=True)
    assert "already saved once" in html
    assert f'value="{data["uuid"]}"' not in html
    assert db_of(node_home).execute("SELECT count(*) FROM needs").fetchone()[0] == 1


def test_respondent_data_without_consent_is_refused(node_home, signed_in):
    client = signed_in("facilitator")
    response = capture(client, respondent_name="Amina Wanjiku", respondent_contact="0712 345 678")
    assert response.status_code == 422
    assert 'id="consent-error"' in response.get_data(as_text=True)
    assert db_of(node_home).execute("SELECT count(*) FROM needs").fetchone()[0] == 0

    ok = capture(client, respondent_name="Amina Wanjiku", consent="true")
    assert ok.status_code == 303
    row = db_of(node_home).execute("SELECT respondent_name, consent FROM needs").fetchone()
    assert row == ("Amina Wanjiku", 1)


def test_respondent_shown_only_to_roles_allowed(node_home, app, signed_in):
    own = signed_in("facilitator", "fatuma")
    ref = ref_from(capture(own, respondent_name="Amina Wanjiku", consent="on"))
    assert "Amina Wanjiku" in own.get(f"/needs/{ref}").get_data(as_text=True)

    for role, username, sees in [
        ("facilitator", "other-facilitator", False),
        ("analyst", "ana", False),
        ("admin", "root", False),
        ("council", "chair", True),
    ]:
        other = app.test_client()
        add_user(node_home, username, role)
        login(other, username)
        page = other.get(f"/needs/{ref}")
        assert page.status_code == 200, role
        assert ("Amina Wanjiku" in page.get_data(as_text=True)) is sees, role


def test_analyst_may_read_but_not_capture(signed_in):
    client = signed_in("analyst")
    assert client.get("/needs").status_code == 200
    assert client.get("/capture").status_code == 403
    assert client.get("/meetings").status_code == 403


def test_capture_uses_the_nodes_category_table(node_home, signed_in):
    db = db_of(node_home)
    category_store.save(db, "markets", goals=[8, 2], label="Markets", icon="cat-food.svg")
    category_store.save(db, "roads", goals=[9, 11], active=False)
    client = signed_in("facilitator")
    form = client.get("/capture").get_data(as_text=True)
    assert 'value="markets"' in form and ">Markets<" in form
    assert 'value="roads"' not in form

    ref = ref_from(capture(client, category="markets"))
    goals = db.execute("SELECT goals FROM needs WHERE ref = ?", [ref]).fetchone()[0]
    assert json.loads(goals) == [2, 8]
    retired = capture(client, category="roads")
    assert retired.status_code == 422


def edit(client, ref, **changes):
    page = client.get(f"/needs/{ref}/edit").get_data(as_text=True)
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
        "text": "Tunahitaji maji safi",
        "category": "water",
        "locality": "KE/47/westlands/kangemi",
        "gender": "undisclosed",
        "age_band": "undisclosed",
        "supporters": "1",
    }
    data.update(changes)
    return client.post(f"/needs/{ref}/edit", data=data)


def test_edit_keeps_an_audit_trail(node_home, signed_in):
    client = signed_in("facilitator", "fatuma")
    ref = ref_from(capture(client))
    response = edit(
        client,
        ref,
        text="Tunahitaji maji safi na vyoo",
        category="health",
        supporters="4",
        locality="KE/47/westlands/kangemi/gichagi",
        groups=["disability", "migrant"],
    )
    assert response.status_code == 303
    db = db_of(node_home)
    history = db.execute("SELECT role, action, changes FROM need_history").fetchall()
    assert len(history) == 1
    role, action, changes = history[0]
    assert (role, action) == ("facilitator", "edit")
    assert json.loads(changes) == {
        "text": ["Tunahitaji maji safi", "Tunahitaji maji safi na vyoo"],
        "category": ["water", "health"],
        "goals": [[6], [3]],  # no goal ticked: the new category's goals
        "locality": ["KE/47/westlands/kangemi", "KE/47/westlands/kangemi/gichagi"],
        "groups": [[], ["disability", "migrant"]],
        "supporters": [1, 4],
    }
    assert [e["kind"] for e in events.since(db, 0)] == ["need", "need"]

    page = client.get(f"/needs/{ref}").get_data(as_text=True)
    assert "fatuma" in page
    assert "<del>Tunahitaji maji safi</del> → <ins>Tunahitaji maji safi na vyoo</ins>" in page

    # Saving without a change writes nothing.
    same = edit(
        client,
        ref,
        text="Tunahitaji maji safi na vyoo",
        category="health",
        goals="3",
        supporters="4",
        locality="KE/47/westlands/kangemi/gichagi",
        groups=["disability", "migrant"],
    )
    assert same.status_code == 303
    assert db.execute("SELECT count(*) FROM need_history").fetchone()[0] == 1

    bad = edit(client, ref, text="", locality="TZ/01", supporters="many")
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="text-error"' in html and 'id="locality-error"' in html
    assert 'id="supporters-error"' in html
    assert db.execute("SELECT count(*) FROM need_history").fetchone()[0] == 1


def test_checked_for_sharing_and_editing_the_text_clears_it(node_home, app, signed_in):
    client = signed_in("facilitator")
    ref = ref_from(
        capture(
            client,
            text="Amina anasema: piga 0712 345 678 au amina@example.org kuhusu maji",
            respondent_name="Amina Wanjiku",
            consent="true",
        )
    )
    page = client.get(f"/needs/{ref}").get_data(as_text=True)
    assert '<mark lang="en">[name]</mark>' in page
    assert '<mark lang="en">[phone]</mark>' in page and '<mark lang="en">[email]</mark>' in page
    assert "0712 345 678</mark>" not in page

    token = csrf_token(client, f"/needs/{ref}")
    response = client.post(f"/needs/{ref}/checked", data={"csrf_token": token})
    assert response.status_code == 303
    db = db_of(node_home)
    assert db.execute("SELECT text_checked FROM needs").fetchone()[0] == 1
    assert [e["kind"] for e in events.since(db, 0)] == ["need", "need_text"]
    assert "Checked for sharing." in client.get(f"/needs/{ref}").get_data(as_text=True)

    # An analyst may read but not mark; and does not see the scrubbed section.
    analyst = app.test_client()
    add_user(node_home, "ana", "analyst")
    login(analyst, "ana")
    assert "<mark" not in analyst.get(f"/needs/{ref}").get_data(as_text=True)
    refused = analyst.post(
        f"/needs/{ref}/checked", data={"csrf_token": csrf_token(analyst, f"/needs/{ref}")}
    )
    assert refused.status_code == 403

    edit(client, ref, text="Tunahitaji maji safi kijijini")
    assert db.execute("SELECT text_checked FROM needs").fetchone()[0] == 0
    changes = json.loads(
        db.execute("SELECT changes FROM need_history WHERE action = 'edit'").fetchone()[0]
    )
    assert changes["text_checked"] == [True, False]


@pytest.mark.parametrize("path", ["/needs/NOPE-123456", "/capture/receipt/NOPE-123456"])
def test_unknown_ref_is_404(signed_in, path):
    assert signed_in("facilitator").get(path).status_code == 404


def test_api_and_form_validate_alike(node_home, api, signed_in):
    client, headers = api("facilitator")
    body = {"uuid": "9b2f2c4e-8c53-4c39-9a4f-2c1d7f3f6a10", "text": "x", "language": "sw"}
    bad = client.post(
        "/api/v1/needs", json={**body, "respondent": {"name": "Amina"}}, headers=headers
    )
    assert bad.status_code == 422 and "consent" in bad.get_json()["details"]
    created = client.post("/api/v1/needs", json={**body, "category": "water"}, headers=headers)
    assert created.status_code == 201
    assert created.get_json()["goals"] == [6] and created.get_json()["meeting"] is None
