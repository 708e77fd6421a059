"""Choosing accepted needs for a priority: a page of them at a time,
filtered by topic and words, with the needs already ticked on other pages
kept (council/_need_picker.html)."""

from app.store import triage

from .queue import page_number, pages_of

PER_PAGE = 15
MAX_CHOSEN = 1000


def chosen_ids(values) -> list[int]:
    """The ticked need ids of a form (bounded, digits only, in order, once)."""
    ids = [int(v) for v in list(values)[:MAX_CHOSEN] if v.isdigit() and len(v) <= 12]
    return list(dict.fromkeys(ids))


def picker(db, source, chosen: list[int]) -> dict:
    """The picker's state from SOURCE (query string or form): its filters
    (ncat, nq), page (npage), the needs of that page and the ticked ones elsewhere."""
    facets = triage.queue_facets(db, ("accepted",))
    filters = {}
    category = (source.get("ncat") or "").strip()
    if category in facets["category"]:
        filters["category"] = category
    q = (source.get("nq") or "").strip()[:100]
    if q:
        filters["q"] = q
    page = page_number(source.get("npage"), 10**6)
    needs, total = triage.queue_page(
        db, ("accepted",), filters=filters, page=page, per_page=PER_PAGE
    )
    pages = pages_of(total, PER_PAGE)
    if page > pages:
        page = pages
        needs, total = triage.queue_page(
            db, ("accepted",), filters=filters, page=page, per_page=PER_PAGE
        )
    shown = {n["id"] for n in needs}
    return {
        "needs": needs,
        "total": total,
        "all": sum(facets["category"].values()),
        "categories": facets["category"],
        "category": filters.get("category", ""),
        "q": q,
        "page": page,
        "pages": pages,
        "chosen": set(chosen),
        "elsewhere": [i for i in chosen if i not in shown],
    }
