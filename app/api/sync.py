"""API: sync between nodes (POST /api/v1/sync/...).

Public by marker (no user token: nodes are not users), but every upload is
authenticated by signatures: hello and start are signed by an enrolled child's
key, chunks belong to an upload opened by a signed start, and the bundle itself
is verified against the child's key before anything is applied. The logic is in
sync/http_receive.py (Flask-free); this module maps it to HTTP.
"""

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from app.auth.permissions import public
from app.database import get_db
from app.errors import AppError
from sync import http_receive
from sync.errors import Busy, SyncError
from sync.local import Local

from .blueprint import bp
from .request_json import json_object

MESSAGES = {
    "corrupt_bundle": _l("The bundle is damaged or truncated; nothing was applied."),
    "unsupported_version": _l("The bundle uses a format version this node cannot read."),
    "unknown_sender": _l("The sending node is not enrolled here."),
    "bad_signature": _l("The signature does not match the sending node's key."),
    "key_changed": _l("The sending node's key changed since it was enrolled."),
    "identity_conflict": _l(
        "Records conflict with ones received before (a cloned or restored node)."
    ),
    "too_large": _l("The upload is larger than this node accepts."),
    "busy": _l("This node is busy receiving other uploads; retry later."),
    "unknown_upload": _l("There is no such upload; start again."),
    "upload_incomplete": _l("The upload is not complete yet."),
}


def _local() -> Local:
    node_home = current_app.extensions["sauti_home"]
    return Local.open(node_home, get_db())


def _run(fn, *args):
    try:
        return fn(_local(), *args)
    except SyncError as exc:
        error = AppError(
            exc.status,
            exc.code,
            MESSAGES.get(exc.code, _l("The sync request was refused.")),
            {"reason": exc.message, **exc.details},
        )
        if isinstance(exc, Busy):
            error.retry_after = exc.retry_after
        raise error from None


@bp.route("/sync/hello", methods=["POST"])
@public
def sync_hello():
    return jsonify(_run(http_receive.hello, json_object()))


@bp.route("/sync/start", methods=["POST"])
@public
def sync_start():
    return jsonify(_run(http_receive.start, json_object()))


@bp.route("/sync/upload/<upload_id>", methods=["POST"])
@public
def sync_upload(upload_id):
    try:
        offset = int(request.args.get("offset", ""))
    except ValueError:
        raise AppError(400, "bad_offset", _l("The chunk's offset is missing.")) from None
    return jsonify(_run(http_receive.chunk, upload_id, offset, request.get_data(cache=False)))


@bp.route("/sync/finish/<upload_id>", methods=["POST"])
@public
def sync_finish(upload_id):
    return jsonify(_run(http_receive.finish, upload_id))
