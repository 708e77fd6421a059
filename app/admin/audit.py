"""Admin: the audit list of administrative changes, newest first."""

from flask import render_template, request

from app.auth.account_words import AUDIT_ACTIONS
from app.auth.permissions import requires
from app.database import get_db
from app.store import audit

from .blueprint import bp

PER_PAGE = 50


@bp.route("/audit")
@requires("admin")
def audit_page():
    raw = request.args.get("page", "")
    page = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1
    page = max(page, 1)
    rows, total = audit.page(get_db(), page, PER_PAGE)
    return render_template(
        "admin/audit.html",
        rows=rows,
        page=page,
        pages=max(1, (total + PER_PAGE - 1) // PER_PAGE),
        actions=AUDIT_ACTIONS,
    )
