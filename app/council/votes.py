"""Vote mode: each council member ranks the active priorities; the rankings
are combined with the Borda count (app.council.borda) when the round is closed."""

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


@bp.route("/votes", methods=["GET", "POST"], endpoint="votes")
@requires("triage")
def votes_page():
    db = get_db()
    if request.method == "POST":
        title = form_text("title", 200) or _("Order of priorities")
        try:
            round_id = store.open_round(db, title=title, user=acting_user())
        except ValueError:
            raise AppError(
                409, "too_few_priorities", _("A vote needs at least two active priorities.")
            ) from None
        return redirect(url_for("council.vote", round_id=round_id))
    return render_template("council/votes.html", rounds=store.rounds(db))


def _round_or_404(round_id: int) -> dict:
    vote = store.get(get_db(), round_id)
    if vote is None:
        raise AppError(404)
    return vote


@bp.route("/votes/<int:round_id>", endpoint="vote")
@requires("triage")
def vote_page(round_id):
    db = get_db()
    vote = _round_or_404(round_id)
    titles = {p["id"]: p["title"] for p in priority_store.list_all(db)}
    ballots = store.ballots(db, round_id)
    mine = next((b for b in ballots if b["user_id"] == acting_user()["id"]), None)
    return render_template(
        "council/vote.html",
        vote=vote,
        titles=titles,
        ballots=ballots,
        mine={pid: i + 1 for i, pid in enumerate(mine["ranking"])} if mine else {},
    )


@bp.route("/votes/<int:round_id>/ballot", methods=["POST"], endpoint="cast_ballot")
@requires("triage")
def cast_ballot(round_id):
    """The form gives each candidate a place (1 = most important)."""
    db = get_db()
    vote = _round_or_404(round_id)
    places = {}
    for pid in vote["candidates"]:
        value = request.form.get(f"place-{pid}", "")
        if value.isdigit():
            places[pid] = int(value)
    ranking = sorted(places, key=lambda pid: places[pid])
    if sorted(places.values()) != list(range(1, len(vote["candidates"]) + 1)):
        raise AppError(
            422,
            "invalid_ballot",
            _("Give every priority a different place, from 1 to %(n)s.", n=len(vote["candidates"])),
        )
    try:
        store.cast(db, round_id, acting_user()["id"], ranking)
    except (ValueError, BallotError):
        raise AppError(409, "vote_closed", _("This vote is closed.")) from None
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
