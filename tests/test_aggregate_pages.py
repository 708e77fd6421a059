"""Aggregate pages: permissions, numbers behind suppression, names, caveat."""

import datetime as dt
import io
import json
import re

import pytest

from app.node.home import open_home
from app.store import localities as register
from tests import aggregate_data as data
from tests.engines import ENGINES_ALL_LEVELS

pytestmark = ENGINES_ALL_LEVELS

K = 5
ROOT = "KE/47/westlands/kangemi"


def _fill(node_home) -> list[dict]:
    db = open_home(node_home).connect()
    locs = data.tree(ROOT, 3, 2, 1)
    weeks = data.weeks(dt.date(2026, 2, 2), 8)
    rows = data.shared_rows(400, locs, weeks, seed=11)
    data.insert_shared(db, rows)
    # a received meeting and an action, for the other indicators
    db.execute(
        "INSERT INTO shared_meetings(origin, key, seq, locality, week, attendance, received_at)"
        " VALUES ('o', 'm1', 1, ?, '2026-W06', ?, 'x')",
        [f"{ROOT}/d1", json.dumps([{"gender": "female", "age_band": "25-34", "count": 30},
                                   {"gender": "male", "age_band": "25-34", "count": 12}])],
    )  # fmt: skip
    db.close()
    return rows


@pytest.fixture
def filled(node_home):
    return _fill(node_home)


@pytest.fixture(scope="module")
def visitors(tmp_path_factory, engine):
    """One filled node for the page-only checks below, which change nothing: its rows, and
    a client not signed in, a facilitator's and an analyst's."""
    from app.factory import create_app
    from tests.conftest import add_user, login, make_home

    path = make_home(tmp_path_factory.mktemp("aggregate-pages") / "home")
    rows = _fill(path)
    app = create_app({"HOME": path, "TESTING": True})
    clients = {"nobody": app.test_client()}
    for role in ("facilitator", "analyst"):
        add_user(path, f"{role}-user", role)
        clients[role] = app.test_client()
        assert login(clients[role], f"{role}-user").status_code == 302
    return rows, clients


@pytest.mark.parametrize("path", ["/aggregate/", "/aggregate/disparities", "/aggregate/goals",
                                  "/aggregate/coverage", "/aggregate/open-data"])  # fmt: skip
def test_pages_need_the_aggregates_permission(visitors, path):
    _rows, clients = visitors
    assert clients["nobody"].get(path).status_code == 302  # to the login page
    assert clients["facilitator"].get(path).status_code == 403


@pytest.mark.parametrize("path", ["/aggregate/", "/aggregate/disparities", "/aggregate/goals",
                                  "/aggregate/coverage", "/aggregate/open-data",
                                  "/aggregate/disparities?indicator=women_attendance",
                                  "/aggregate/disparities?indicator=supporters_per_meeting",
                                  "/aggregate/disparities?indicator=actions_on_time",
                                  "/aggregate/disparities?indicator=goal:6&level=6"])  # fmt: skip
def test_pages_state_caveat_dates_and_coverage(visitors, path):
    filled, clients = visitors
    page = clients["analyst"].get(path).get_data(as_text=True)
    assert "Participation data, not a representative sample." in page
    weeks = sorted(r["week"] for r in filled)
    assert weeks[0] in page and weeks[-1] in page


def test_disparity_numbers_follow_the_published_tables(signed_in, node_home, filled):
    client = signed_in("analyst")
    page = client.get("/aggregate/disparities?indicator=category:water").get_data(as_text=True)
    level = len(ROOT.split("/")) + 1
    totals = data.truth(filled, (f"locality:{level}",))
    water = data.truth(filled, (f"locality:{level}", "category"))
    rows = re.findall(
        r'<tr(?: class="agg-far")? data-locality="([^"]+)">(.*?)</tr>', page, re.DOTALL
    )
    assert [loc for loc, _ in rows] == sorted(loc for (loc,) in totals)  # by path, not rank
    for loc, html in rows:
        cells = re.findall(r'<td class="num">([^<]*)', html)
        n, total = water.get((loc, "water"), [0])[0], totals[(loc,)][0]
        if total < K or 0 < n < K:
            assert cells[0] == "hidden"
        elif cells[0] != "hidden":
            assert cells[0] == f"{round(100 * n / total)}%"


def test_locality_names_and_rates(signed_in, node_home, filled):
    db = open_home(node_home).connect()
    register.import_rows(
        db,
        register.parse_csv(
            f"code,name_en,name_ar,population,valid_from,valid_to\n"
            f"{ROOT}/d1,Upper Kangemi,كانجيمي العليا,2000,,\n"
            f"{ROOT}/d2,Old name,,,2000-01-01,2020-01-01\n"
            f"{ROOT}/d2,Lower Kangemi,,,2020-01-01,\n"
        ),
    )
    db.close()
    client = signed_in("council")
    page = client.get("/aggregate/disparities").get_data(as_text=True)
    assert "Upper Kangemi" in page and "Lower Kangemi" in page and "Old name" not in page
    assert "Needs per 1,000 inhabitants" in page
    total = data.truth(filled, (f"locality:{len(ROOT.split('/')) + 1}",))[(f"{ROOT}/d1",)][0]
    assert f"{total * 1000 / 2000:.1f}" in page
    client.get("/lang/ar")
    page = client.get("/aggregate/disparities").get_data(as_text=True)
    assert 'dir="rtl"' in page and "كانجيمي العليا" in page


def test_goals_view(signed_in, filled):
    client = signed_in("analyst")
    page = client.get("/aggregate/goals?goal=6").get_data(as_text=True)
    goal6 = data.truth(filled, ("goal",)).get((6,), [0, 0])
    row = re.search(r'<tr data-goal="6"[^>]*>(.*?)</tr>', page, re.DOTALL).group(1)
    cells = re.findall(r'<td class="num">([^<]*)', row)
    assert cells[0] == (f"{goal6[0]:,}" if goal6[0] >= K else "hidden")
    assert len(re.findall(r"<tr data-goal=", page)) == 17
    assert "Clean water and sanitation" in page
    months = data.truth(filled, ("goal", "month"))
    shown = [m for (g, m), v in months.items() if g == 6 and v[0] >= K]
    for m in shown:
        assert f'data-label="{m}"' in page


def test_coverage_lists_children_and_silent_ones(signed_in, node_home, filled):
    db = open_home(node_home).connect()
    recent = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    db.execute(
        "INSERT INTO children(name, public_key, node_id, enrolled_at, last_seen, records)"
        " VALUES ('Fresh ward', 'k1', 'origin-d1', ?, ?, 120), ('Quiet ward', 'k2', 'origin-d2',"
        " ?, '2020-01-01T00:00:00+00:00', 7)",
        [recent, recent, recent],
    )
    db.close()
    client = signed_in("admin")
    page = client.get("/aggregate/coverage").get_data(as_text=True)
    fresh = re.search(r"<tr>\s*<th scope=\"row\">Fresh ward.*?</tr>", page, re.DOTALL).group(0)
    quiet = re.search(
        r"<tr class=\"agg-far\">\s*<th scope=\"row\">Quiet ward.*?</tr>", page, re.DOTALL
    )
    assert quiet and "silent" in quiet.group(0) and "up to date" in fresh
    sent = sum(1 for r in filled if r["origin"] == "origin-d1")
    assert f">{sent}<" in fresh


def test_locality_register_page_is_admin_only(signed_in, client, filled):
    signed_in("analyst", "a1")
    assert client.get("/aggregate/localities").status_code == 403
    signed_in("admin", "adm")
    from tests.conftest import csrf_token

    token = csrf_token(client, "/aggregate/localities")
    bad = client.post(
        "/aggregate/localities",
        data={"csrf_token": token, "file": (io.BytesIO(b"code,name_en\n//bad code,x\n"), "l.csv")},
    )
    assert bad.status_code == 422 and "line 2" in bad.get_data(as_text=True)
    ok = client.post(
        "/aggregate/localities",
        data={"csrf_token": token, "file": (io.BytesIO(f"code,name_en,population\n{ROOT}/d3,"
                                                       "Gitaru,500\n".encode()), "l.csv")},
    )  # fmt: skip
    assert ok.status_code == 302
    page = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "Gitaru" in page and "1 localities imported." in page
