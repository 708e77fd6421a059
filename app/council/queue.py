"""The triage queue: new needs a page at a time, filtered by topic, place and
words, each with its decisions in place (accept, set aside, merge); after a
decision the page comes back at the next need (#need-ID) with a confirmation."""

from flask import render_template, request

from app.auth.permissions import requires
from app.database import get_db
from app.store import triage

from .blueprint import bp
from .common import REMOVAL_REASONS, SET_ASIDE_REASONS

PER_PAGE = 10


def page_number(value, pages: int) -> int:
    """A page number from the query string, within 1..PAGES (anything else is 1)."""
    text = str(value or "1").strip()
    number = int(text) if text.isdigit() and len(text) <= 6 else 1
    return min(max(number, 1), max(pages, 1))


def read_filters(args, facets: dict) -> dict:
    """category, locality (known codes only) and q (words) from ARGS."""
    filters = {}
    category = (args.get("category") or "").strip()
    if category in facets.get("category", {}):
        filters["category"] = category
    locality = (args.get("locality") or "").strip()
    if locality in facets.get("locality", {}):
        filters["locality"] = locality
    q = (args.get("q") or "").strip()[:100]
    if q:
        filters["q"] = q
    return filters


def pages_of(total: int, per_page: int) -> int:
    return max((total + per_page - 1) // per_page, 1)


@bp.route("/", endpoint="triage")
@bp.route("/triage", endpoint="triage")
@requires("triage")
def triage_page():
    db = get_db()
    facets = triage.queue_facets(db)
    filters = read_filters(request.args, facets)
    page = page_number(request.args.get("page"), 10**6)
    items, total = triage.queue_page(db, filters=filters, page=page, per_page=PER_PAGE)
    pages = pages_of(total, PER_PAGE)
    if page > pages:  # past the end (the last need of the last page was decided)
        page = pages
        items, total = triage.queue_page(db, filters=filters, page=page, per_page=PER_PAGE)
    new_count = sum(facets["category"].values())
    kiosk = triage.queue(db, ("new",), hidden=True, limit=50)
    return render_template(
        "council/triage.html",
        kiosk=kiosk,
        placed={f"need-{n['id']}" for n in [*items, *kiosk]},
        items=items,
        filters=filters,
        state={**filters, **({"page": page} if page > 1 else {})},
        facets=facets,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * PER_PAGE + 1,
        last=min(page * PER_PAGE, total),
        new_count=new_count,
        counts=triage.counts_by_status(db),
        reasons=SET_ASIDE_REASONS,
        removal_reasons=REMOVAL_REASONS,
    )
