"""Vote mode: the Borda count on the worked example of docs/council.md, and
a vote through the pages (rankings kept, result stored and applied)."""

import pytest

from app.council.borda import BallotError, borda
from app.store import priorities, votes

from .conftest import add_user, login
from .council_helpers import csrf, db_of, user_of


def test_borda_worked_example():
    ballots = [list("ABCD"), list("BCAD"), list("BADC")]
    result = borda(ballots, list("ABCD"))
    assert [(s.candidate, s.points) for s in result] == [("B", 8), ("A", 6), ("C", 3), ("D", 1)]


def test_borda_ties_break_on_first_places_then_given_order():
    # A and B both have 4 points; A has two first places, B one.
    result = borda([list("ABC"), list("ABC"), list("BCA")], list("BAC"))
    assert [(s.candidate, s.points) for s in result] == [("A", 4), ("B", 4), ("C", 1)]
    tied = borda([list("AB"), list("BA")], list("BA"))
    assert [s.candidate for s in tied] == ["B", "A"]  # full tie: the given order


@pytest.mark.parametrize("ballot", [list("AB"), list("ABCC"), list("ABCE"), []])
def test_incomplete_ballots_are_refused(ballot):
    with pytest.raises(BallotError):
        borda([ballot], list("ABCD"))


def test_a_vote_through_the_pages(node_home, app):
    db = db_of(node_home)
    members = ["amina", "baraka", "chausiku"]
    for name in members:
        add_user(node_home, name, "council")
    amina = user_of(db, "amina")
    ids = {
        letter: priorities.create(
            db,
            title=f"Priority {letter}",
            description="",
            goals=[6],
            locality="KE/47/westlands/kangemi",
            user=amina,
        )
        for letter in "ABCD"
    }
    client = app.test_client()
    login(client, "amina")
    response = client.post("/council/votes", data={"csrf_token": csrf(client), "title": "2026"})
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for name, order in zip(members, ["ABCD", "BCAD", "BADC"], strict=True):
        voter = app.test_client()
        login(voter, name)
        form = {f"place-{ids[letter]}": str(i + 1) for i, letter in enumerate(order)}
        form["csrf_token"] = csrf(voter)
        assert voter.post(f"/council/votes/{round_id}/ballot", data=form).status_code == 302
    # a ballot with two equal places is refused
    bad = {f"place-{ids[x]}": "1" for x in "ABCD"} | {"csrf_token": csrf(client)}
    assert client.post(f"/council/votes/{round_id}/ballot", data=bad).status_code == 422
    token = csrf(client)
    assert (
        client.post(f"/council/votes/{round_id}/close", data={"csrf_token": token}).status_code
        == 302
    )
    stored = votes.get(db, round_id)
    assert [(r["priority"], r["points"]) for r in stored["result"]] == [
        (ids["B"], 8),
        (ids["A"], 6),
        (ids["C"], 3),
        (ids["D"], 1),
    ]
    kept = {b["username"]: b["ranking"] for b in votes.ballots(db, round_id)}
    assert kept["baraka"] == [ids[x] for x in "BCAD"]
    page = client.get(f"/council/votes/{round_id}").get_data(as_text=True)
    assert "chausiku" in page and "8 points" in page
    assert (
        client.post(f"/council/votes/{round_id}/apply", data={"csrf_token": token}).status_code
        == 302
    )
    ranked = [p["title"] for p in priorities.list_all(db, priorities.ACTIVE)]
    assert ranked == ["Priority B", "Priority A", "Priority C", "Priority D"]
    with pytest.raises(ValueError):
        votes.cast(db, round_id, amina["id"], [ids[x] for x in "ABCD"])  # closed
    db.close()
