"""The needs list: filters from the query string (status, category, goal,
locality, channel, meeting, language, search words) and paging."""

from flask import render_template, request

from app.auth.permissions import requires
from app.database import get_db
from app.store import meetings as meeting_store
from app.store import needs as store
from schema import vocab

from .blueprint import bp
from .forms import whole_number
from .view_helpers import category_map, language_choices, locality_choices

PER_PAGE = 50


def _list_filters(args) -> tuple[dict, list[str]]:
    """Valid filters from the query string, and the names of those ignored."""
    filters, ignored = {}, []
    choices = {
        "status": vocab.STATUSES,
        "channel": vocab.CHANNELS,
        "category": tuple(category_map()),
    }
    for key in ("status", "category", "goal", "locality", "channel", "meeting", "language", "q"):
        value = args.get(key, "").strip()
        if not value:
            continue
        if key == "goal":
            valid = whole_number(value) in range(1, 18)
        elif key == "meeting":
            valid = isinstance(whole_number(value), int)
        else:
            valid = key not in choices or value in choices[key]
        if valid:
            filters[key] = value[:200]
        else:
            ignored.append(key)
    return filters, ignored


@bp.route("/needs")
@requires("read_needs")
def list_needs():
    filters, ignored = _list_filters(request.args)
    raw_page = request.args.get("page", "1")
    page = whole_number(raw_page)
    page = page if isinstance(page, int) and 0 < page < 1_000_000 else 1
    rows, total = store.list_page(get_db(), filters, page, PER_PAGE)
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    return render_template(
        "capture/list.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        ignored=ignored,
        categories=category_map(),
        meetings=meeting_store.recent(get_db(), limit=200),
        localities=locality_choices(filters.get("locality", "")),
        text_languages=language_choices(filters.get("language", "")),
        statuses=vocab.STATUSES,
        channels=vocab.CHANNELS,
    )
