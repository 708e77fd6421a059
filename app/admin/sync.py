"""Admin: sync status, "sync now", enrolment (node id, fingerprint, QR code) and
enrolling children from the browser."""


import segno
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.database import get_db, node
from app.node import home
from app.store import sync_alerts, sync_inbox, sync_state
from sync.enrol import EnrolRefused, enrol_child

from .blueprint import bp


def _qr(node_row) -> str:
    text = f"sauti:node?id={node_row['node_id']}&key={node_row['public_key']}"
    return segno.make(text, error="m").svg_inline(scale=4, svgclass="qr", omitsize=False)


def _page(error: str | None = None, status: int = 200):
    db = get_db()
    me = node()
    children = [
        dict(c, fingerprint=home.fingerprint(c["public_key"])) for c in sync_state.children(db)
    ]
    summary = sync_state.summary(db)
    parent = summary["parent"]
    return (
        render_template(
            "admin/sync.html",
            node=me,
            fingerprint=home.fingerprint(me["public_key"]),
            qr=_qr(me),
            summary=summary,
            parent_fingerprint=home.fingerprint(parent["public_key"]) if parent else None,
            children=children,
            known_nodes=len(sync_inbox.nodes(db)),
            error=error,
            result=request.args.get("result"),
        ),
        status,
    )


@bp.route("/sync")
@requires("admin")
def sync_page():
    return _page()


@bp.route("/sync/now", methods=["POST"])
@requires("admin")
def sync_now():
    from sync.errors import SyncError
    from sync.http_push import push
    from sync.local import Local

    local = Local.open(current_app.extensions["sauti_home"], get_db())
    try:
        result = push(local, timeout=20, busy_retries=0)
    except SyncError:
        return redirect(url_for("admin.sync_page", result="failed"))
    return redirect(url_for("admin.sync_page", result="ok" if result["bundles"] else "nothing"))


@bp.route("/sync/alerts/clear", methods=["POST"])
@requires("admin")
def sync_clear_alerts():
    sync_alerts.clear(get_db())
    return redirect(url_for("admin.sync_page", result="cleared"))


@bp.route("/sync/children", methods=["POST"])
@requires("admin")
def sync_add_child():
    try:
        enrol_child(get_db(), request.form.get("name", ""), request.form.get("key", ""))
    except EnrolRefused as exc:
        if exc.code == "already_enrolled":
            return _page(_("A child with this key is already enrolled."), 409)
        if exc.code == "own_key":
            return _page(_("That is this node's own key; use the child's key."), 422)
        return _page(
            _("Give the child a name and its public key exactly as its own sync page shows it."),
            422,
        )
    return redirect(url_for("admin.sync_page", result="enrolled"))
