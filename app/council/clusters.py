"""Groups of similar needs (app.council.similar) a page at a time, filtered
by topic and words; merging a group in one go, confirmed, with an undo that
un-merges every need of it."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.permissions import requires
from app.council import similar
from app.database import get_db
from app.store import triage
from app.store.db import write
from app.store.triage import TriageError

from .blueprint import bp
from .common import acting_user, form_int, refused
from .feedback import done, similar_state
from .queue import page_number, pages_of

PER_PAGE = 10
MAX_IDS = 500  # a group never holds more needs than are compared (similar.LIMIT)
MAX_UNDO = 100  # the undo travels in the session cookie: bounded


def _matches(cluster: list[dict], words: str) -> bool:
    return any(words in similar.normalize(n["text"]) or words in n["ref"].casefold()
               for n in cluster)  # fmt: skip


@bp.route("/similar", endpoint="similar")
@requires("triage")
def similar_page():
    db = get_db()
    threshold = request.args.get("threshold", "")
    threshold = int(threshold) if threshold.isdigit() and len(threshold) <= 3 else similar.THRESHOLD
    threshold = min(max(threshold, 50), 100)
    pool = triage.candidates_for_similarity(db, similar.LIMIT)
    found = similar.clusters(pool, threshold=threshold)
    categories = sorted({c[0]["category"] for c in found})
    category = request.args.get("category", "")
    if category in categories:
        found = [c for c in found if c[0]["category"] == category]
    q = (request.args.get("q") or "").strip()[:100]
    words = similar.normalize(q)
    if words:
        found = [c for c in found if _matches(c, words)]
    pages = pages_of(len(found), PER_PAGE)
    page = page_number(request.args.get("page"), pages)
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    for cluster in shown:
        accepted = [n for n in cluster if n["status"] == "accepted"]
        cluster_target = min(accepted or cluster, key=lambda n: (-n["supporters"], n["id"]))
        for n in cluster:
            n["suggested_target"] = n["id"] == cluster_target["id"]
    filters = {"threshold": threshold, "category": category if category in categories else "",
               "q": q}  # fmt: skip
    return render_template(
        "council/similar.html",
        clusters=shown,
        total=len(found),
        threshold=threshold,
        limit=similar.LIMIT,
        categories=categories,
        filters=filters,
        state={k: v for k, v in {**filters, "page": page if page > 1 else ""}.items() if v},
        page=page,
        pages=pages,
    )


def _ids() -> list[int]:
    values = request.form.getlist("need")[:MAX_IDS]
    return [int(v) for v in values if v.isdigit() and len(v) <= 12]


@bp.route("/similar/merge", methods=["POST"])
@requires("triage")
def merge_cluster():
    db = get_db()
    into = form_int("into")
    ids = _ids()
    back = redirect(url_for("council.similar", **similar_state()) + "#clusters")
    if into is None or not [i for i in ids if i != into]:
        done(_("Tick at least one need to merge and choose the one to keep."), error=True)
        return back
    try:
        target = triage.merge_many(db, ids, into, user=acting_user())
    except TriageError as exc:
        done(refused(exc).message, error=True)
        return back
    merged = [i for i in ids if i != into]
    done(
        ngettext(
            "%(num)s need merged into %(ref)s, which now has %(n)s supporters.",
            "%(num)s needs merged into %(ref)s, which now has %(n)s supporters.",
            len(merged),
            ref=target["ref"],
            n=target["supporters"],
        ),
        undo={
            "action": url_for("council.unmerge_cluster"),
            "label": _("Undo the merge"),
            "fields": {**similar_state(), "next": "similar", "need": [str(i) for i in merged]},
        }
        if len(merged) <= MAX_UNDO
        else None,
    )
    return back


@bp.route("/similar/unmerge", methods=["POST"], endpoint="unmerge_cluster")
@requires("triage")
def unmerge_cluster():
    """Undo a group merge: every need given is un-merged, all or none."""
    db = get_db()
    ids = _ids()
    back = redirect(url_for("council.similar", **similar_state()) + "#clusters")
    try:
        with write(db):
            for need_id in ids:
                triage.unmerge(db, need_id, user=acting_user())
    except TriageError as exc:
        done(refused(exc).message, error=True)
        return back
    done(ngettext("%(num)s need is separate again.", "%(num)s needs are separate again.", len(ids)))
    return back
