"""Admin: sync status, "sync now", enrolment (node id, fingerprint, QR code),
enrolling children and setting the parent from the browser. Both take two
steps: the key's fingerprint is shown to be compared aloud with the other
node's page, then confirmed (the rules: sync.enrol, shared with the CLI)."""


import segno
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.database import get_db, node
from app.node import home
from app.store import audit, sync_alerts, sync_inbox, sync_state
from sync.enrol import EnrolRefused, enrol_child, parent_url, public_key, set_parent

from .blueprint import bp
from .common import actor, field


def _qr(node_row) -> str:
    text = f"sauti:node?id={node_row['node_id']}&key={node_row['public_key']}"
    return segno.make(text, error="m").svg_inline(scale=4, svgclass="qr", omitsize=False)


def _page(error: str | None = None, status: int = 200, *, confirm=None, typed=None):
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
            confirm=confirm,
            typed=typed or {},
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


def _refusal(code: str) -> str:
    if code == "already_enrolled":
        return _("A child with this key is already enrolled.")
    if code == "own_key":
        return _("That is this node's own key; use the other node's key.")
    if code == "bad_url":
        return _("The address must look like http://host:port, as the parent's sync page shows it.")
    if code == "no_name":
        return _("Give the child a name.")
    return _("Give the public key exactly as the other node's sync page shows it.")


@bp.route("/sync/alerts/clear", methods=["POST"])
@requires("admin")
def sync_clear_alerts():
    sync_alerts.clear(get_db())
    return redirect(url_for("admin.sync_page", result="cleared"))


@bp.route("/sync/children", methods=["POST"])
@requires("admin")
def sync_add_child():
    name, key_text = field("name")[:100], field("key")
    typed = {"name": name, "key": key_text}
    db = get_db()
    try:
        if request.form.get("step") == "check":  # first show the fingerprint to compare
            key = public_key(key_text)
            if not name:
                raise EnrolRefused("no_name")
            if node()["public_key"] == key:
                raise EnrolRefused("own_key")
            if sync_state.child_by_key(db, key):
                raise EnrolRefused("already_enrolled")
            confirm = {"what": "child", "fingerprint": home.fingerprint(key)}
            return _page(confirm=confirm, typed=typed)
        key = enrol_child(db, name, key_text)
    except EnrolRefused as exc:
        status = 409 if exc.code == "already_enrolled" else 422
        return _page(_refusal(exc.code), status, typed=typed)
    audit.record(get_db(), actor(), "child_enrol", name, {"fingerprint": home.fingerprint(key)})
    return redirect(url_for("admin.sync_page", result="enrolled"))


@bp.route("/sync/parent", methods=["POST"])
@requires("admin")
def sync_set_parent():
    url_text, key_text = field("url"), field("key")
    typed = {"url": url_text, "parent_key": key_text}
    try:
        key = public_key(key_text)
        url = parent_url(url_text)
        if request.form.get("step") == "check":  # first show the fingerprint to compare
            confirm = {"what": "parent", "fingerprint": home.fingerprint(key), "url": url}
            return _page(confirm=confirm, typed=typed)
        url, key = set_parent(get_db(), url_text, key_text)
    except EnrolRefused as exc:
        return _page(_refusal(exc.code), 422, typed=typed)
    audit.record(get_db(), actor(), "parent_set", url, {"fingerprint": home.fingerprint(key)})
    return redirect(url_for("admin.sync_page", result="parent"))
