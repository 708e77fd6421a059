"""Vote mode: each council member ranks the active priorities; the rankings
are combined with the Borda count (app.council.borda) when the round is closed."""

from collections import Counter

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.council.borda import BallotError
from app.database import get_db
from app.errors import AppError
from app.store import priorities as priority_store
from app.store import votes as store

from .blueprint import bp
from .common import acting_user, form_text
from .feedback import done


@bp.route("/votes", methods=["GET", "POST"], endpoint="votes")
@requires("triage")
def votes_page():
    db = get_db()
    error, title = None, ""
    if request.method == "POST":
        title = form_text("title", 200)
        try:
            round_id = store.open_round(
                db, title=title or _("Order of priorities"), user=acting_user()
            )
        except ValueError:
            error = _("A vote needs at least two active priorities.")
        else:
            done(_("The vote is open."))
            return redirect(url_for("council.vote", round_id=round_id))
    return render_template(
        "council/votes.html", rounds=store.rounds(db), error=error, title=title
    ), (409 if error else 200)


def _round_or_404(round_id: int) -> dict:
    vote = store.get(get_db(), round_id)
    if vote is None:
        raise AppError(404)
    return vote


@bp.route("/votes/<int:round_id>", endpoint="vote")
@requires("triage")
def vote_page(round_id):
    return _render_vote(round_id)


def _render_vote(round_id: int, *, typed=None, errors=None, status: int = 200):
    """The vote; after a refused ballot, the places as typed and which clash."""
    db = get_db()
    vote = _round_or_404(round_id)
    titles = {p["id"]: p["title"] for p in priority_store.list_all(db)}
    ballots = store.ballots(db, round_id)
    mine = next((b for b in ballots if b["user_id"] == acting_user()["id"]), None)
    places = {pid: i + 1 for i, pid in enumerate(mine["ranking"])} if mine else {}
    return render_template(
        "council/vote.html",
        vote=vote,
        titles=titles,
        ballots=ballots,
        mine=typed if typed is not None else places,
        errors=errors or {},
    ), status


@bp.route("/votes/<int:round_id>/ballot", methods=["POST"], endpoint="cast_ballot")
@requires("triage")
def cast_ballot(round_id):
    """The form gives each candidate a place (1 = most important)."""
    db = get_db()
    vote = _round_or_404(round_id)
    places = {}
    for pid in vote["candidates"]:
        value = request.form.get(f"place-{pid}", "")
        if value.isdigit() and len(value) <= 4:
            places[pid] = int(value)
    ranking = sorted(places, key=lambda pid: places[pid])
    n = len(vote["candidates"])
    if sorted(places.values()) != list(range(1, n + 1)):
        counts = Counter(places.values())
        errors = {}
        for pid in vote["candidates"]:
            place = places.get(pid)
            if place is not None and counts[place] > 1:
                errors[pid] = _("Place %(place)s is given to more than one priority.", place=place)
            elif place is None or not 1 <= place <= n:
                errors[pid] = _("Choose a place from 1 to %(n)s.", n=n)
        errors["all"] = _("Give every priority a different place, from 1 to %(n)s.", n=n)
        return _render_vote(round_id, typed=places, errors=errors, status=422)
    try:
        store.cast(db, round_id, acting_user()["id"], ranking)
    except (ValueError, BallotError):
        raise AppError(409, "vote_closed", _("This vote is closed.")) from None
    done(_("Your ranking is saved."))
    return redirect(url_for("council.vote", round_id=round_id))


@bp.route("/votes/<int:round_id>/close", methods=["POST"], endpoint="close_vote")
@requires("triage")
def close_vote(round_id):
    _round_or_404(round_id)
    try:
        store.close(get_db(), round_id)
    except ValueError:
        raise AppError(
            409, "cannot_close", _("This vote is already closed, or nobody has voted yet.")
        ) from None
    return redirect(url_for("council.vote", round_id=round_id))


@bp.route("/votes/<int:round_id>/apply", methods=["POST"], endpoint="apply_vote")
@requires("triage")
def apply_vote(round_id):
    _round_or_404(round_id)
    try:
        store.apply(get_db(), round_id, user=acting_user())
    except ValueError:
        raise AppError(409, "no_result", _("This vote has no result yet.")) from None
    return redirect(url_for("council.priorities"))
