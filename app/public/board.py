"""The public "You said, we did" board and printable notices.

Shown in the visitor's language, to anyone. Only scrubbed texts (see
app.privacy.public_text); hidden kiosk needs never; every count below the
`k` setting is replaced by "fewer than k" (with a complementary cell, see
app.aggregate.charts.suppress).
"""

import datetime as dt

from flask import render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _

from app import i18n
from app.aggregate import charts
from app.auth.permissions import public
from app.council.report import meeting_period, month_period
from app.database import get_db, node
from app.i18n.labels import label_of
from app.privacy import public_text
from app.privacy.sharing import Rule
from app.store import actions as action_store
from app.store import council as council_store
from app.store import priorities as priority_store

from .blueprint import bp

PER_PAGE = 50
SHOWN_PRIORITY_STATUSES = ("open", "in_progress", "done")


def _count(value: int, k: int) -> dict:
    """A count as a public page may show it."""
    return {"value": value, "shown": value >= k}


def public_priorities(db, k: int, *, today: dt.date) -> list[dict]:
    """Priorities (not dropped), their scrubbed texts, status, latest progress
    and evidence counts (suppressed below k)."""
    rule = Rule(db)  # the node's text rule, its settings read once for the whole page
    evidence = priority_store.evidence(db)
    latest = action_store.latest_note_by_priority(db)
    items = []
    for p in priority_store.list_all(db, SHOWN_PRIORITY_STATUSES):
        names = council_store.respondent_names(db, p["id"])
        ev = evidence.get(p["id"], priority_store.EMPTY_EVIDENCE)
        note = latest.get(p["id"])
        actions = action_store.of_priority(db, p["id"], today=today)

        def public(text, checked, names=names) -> str:
            return rule.text(text, checked=checked, names=names) or ""

        items.append(
            {
                "id": p["id"],
                "rank": p["rank"],
                "status": p["status"],
                "title": public(p["title"], p["text_checked"]),
                "description": public(p["description"], p["text_checked"]),
                "goals": p["goals"],
                "needs": _count(ev["needs"], k),
                "supporters": _count(ev["supporters"], k) if ev["needs"] >= k else None,
                "latest": {
                    "date": dt.date.fromisoformat(note["date"]),
                    "what": public(note["what"], note["text_checked"]),
                    "note": public(note["note"], note["text_checked"]),
                }
                if note
                else None,
                "actions": [
                    {
                        "what": public(a["what"], a["text_checked"]),
                        "responsible": public(a["responsible"], a["text_checked"]),
                        "status": a["status"],
                        "due": dt.date.fromisoformat(a["due_date"]) if a["due_date"] else None,
                    }
                    for a in actions
                ],
            }
        )
    return items


def category_figure(db, k: int, rtl: bool):
    """Needs heard by category, with small counts suppressed."""
    shown, hidden = charts.suppress(council_store.counts(db, "category"), k)
    title = _("What people told us: needs by topic")
    figure = charts.figure(
        shown,
        label=lambda r: str(label_of("category", r["key"])),
        value="needs",
        title=title,
        columns=[(_("needs"), "needs")],
        rtl=rtl,
        number=format_decimal,
        empty_text=_("Nothing to show yet."),
    )
    hidden_rows = [
        {
            "label": label_of("category", r["key"]),
            "complementary": r.get("complementary", False),
        }
        for r in sorted(hidden, key=lambda r: str(r["key"]))
    ]
    return figure, hidden_rows


def _need_rows(db, rows: list[dict]) -> list[dict]:
    rule = Rule(db)
    out = []
    for row in rows:
        out.append(
            {
                "ref": row["ref"],
                "category": row["category"],
                "status": row["status"],
                "merged_into": row["merged_into_ref"],
                "priority_id": row["priority_id"],
                "text": rule.need_text(row),
            }
        )
    return out


@bp.route("/board")
@public
def board():
    db = get_db()
    k = public_text.k(db)
    rtl = i18n.current().dir == "rtl"
    raw_page = request.args.get("page", "")
    page = int(raw_page) if raw_page.isascii() and raw_page.isdigit() and len(raw_page) < 10 else 1
    page = max(page, 1)
    ref = (request.args.get("ref") or "").strip()
    if ref:
        from .views import normalize_ref

        ref = normalize_ref(ref)
    rows, total = council_store.needs_with_status(db, page=page, per_page=PER_PAGE, ref=ref or None)
    priorities = public_priorities(db, k, today=dt.date.today())
    figure, hidden = category_figure(db, k, rtl)
    return render_template(
        "public/board.html",
        node=node(),
        k=k,
        priorities=priorities,
        titles={p["id"]: p["title"] for p in priorities},
        figure=figure,
        hidden=hidden,
        needs=_need_rows(db, rows),
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        ref=ref,
    )


@bp.route("/board/notice")
@public
def notice():
    """A one-page notice for the community notice board: per month
    (?month=YYYY-MM, default this month) or per meeting (?meeting=ID)."""
    db = get_db()
    k = public_text.k(db)
    meeting = None
    meeting_id = request.args.get("meeting", type=int)
    if meeting_id:
        meeting, start, end = meeting_period(db, meeting_id)
        meeting = {
            "title": public_text.scrubbed(db, meeting["title"]),  # no checked mark: shared
            # only under share_text=scrubbed, like the parent's copy
            "date": dt.date.fromisoformat(meeting["date"]),
            "needs": _count(meeting["needs"], k),
            "attendance": _count(meeting["attendance"], k),
        }
    else:
        start, end = month_period(request.args.get("month"))
    today = dt.date.today()
    priorities = [p for p in public_priorities(db, k, today=today) if p["status"] != "done"][:5]
    done = [p for p in public_priorities(db, k, today=today) if p["status"] == "done"][:3]
    decided = council_store.need_decisions(db, start.isoformat(), end.isoformat())
    counts: dict[str, int] = {}
    import json

    for row in decided:
        status = json.loads(row["changes"])["status"][1]
        counts[status] = counts.get(status, 0) + 1
    shown, hidden = charts.suppress([{"key": s, "needs": n} for s, n in counts.items()], k)
    return render_template(
        "public/notice.html",
        node=node(),
        k=k,
        meeting=meeting,
        start=start,
        last_day=end - dt.timedelta(days=1),
        priorities=priorities,
        done=done,
        decided=sorted(shown, key=lambda r: -r["needs"]),
        decided_hidden=len(hidden),
    )
