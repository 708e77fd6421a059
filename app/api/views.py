from flask import jsonify, request
from marshmallow import ValidationError

from app.auth.guard import current_user
from app.auth.permissions import public, requires
from app.capture import needs
from app.database import get_db, node
from app.errors import AppError
from app.store import needs as store
from app.store import sync_shared
from schema import vocab
from schema.need import NeedRemovalSchema
from sync import withhold

from .blueprint import bp
from .openapi import spec
from .request_json import field_errors, json_object, page_args


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(spec())


@bp.route("/needs", methods=["POST"])
@requires("capture")
def create_need():
    stored, created = needs.capture(json_object())
    return jsonify(needs.public_form(stored)), 201 if created else 200


@bp.route("/needs/<uuid>")
@requires("read_needs")
def get_need(uuid):
    need = store.by_uuid(get_db(), uuid)
    if need is None or need["removed"]:
        raise AppError(404)
    return jsonify(needs.public_form(need))


@bp.route("/needs/<uuid>", methods=["DELETE"])
@requires("triage")
def delete_need(uuid):
    """Remove a need as spam or on the citizen's erasure request (CONTRACT "Needs"):
    erased here, retracted at every level above with the next sync."""
    body = json_object()
    try:
        reason = NeedRemovalSchema().load(body)["reason"]
    except ValidationError as exc:
        raise field_errors(exc.messages) from None
    db = get_db()
    need = store.by_uuid(db, uuid)
    if need is None or need["removed"]:
        raise AppError(404)
    user = current_user()
    withhold.erase_need(db, need["id"], reason=reason, user_id=user["id"], role=user["role"])
    return "", 204


LIST_FILTERS = {
    "status": vocab.STATUSES,
    "channel": vocab.CHANNELS,
}


@bp.route("/needs")
@requires("read_needs")
def list_needs():
    page, per_page = page_args()
    filters, errors = {}, {}
    keys = ("status", "category", "goal", "locality", "channel", "language", "q", "origin")
    for key in (*keys, "meeting"):
        value = request.args.get(key, "").strip()
        if not value:
            continue
        number = value.isascii() and value.isdigit()
        if key in LIST_FILTERS and value not in LIST_FILTERS[key]:
            errors[key] = ["Must be one of: " + ", ".join(LIST_FILTERS[key]) + "."]
        elif key == "goal" and not (number and len(value) <= 2 and 1 <= int(value) <= 17):
            errors[key] = ["Must be a goal number from 1 to 17."]
        elif key == "meeting" and not (number and len(value) < 10):
            errors[key] = ["Must be a meeting number."]
        filters[key] = value
    if errors:
        raise field_errors(errors)
    db = get_db()
    origin = filters.get("origin")
    if origin and origin != node()["node_id"] or not origin and sync_shared.any_needs(db):
        # sync area: at a parent, the subtree's shared needs follow the node's own
        rows, total = ([], 0) if origin else store.list_page(db, filters, page, per_page)
        start = (page - 1) * per_page
        subtree, subtotal = sync_shared.list_needs(
            db, filters, max(0, start - total), per_page - len(rows)
        )
        items = [needs.public_form(r) for r in rows] + subtree
        return jsonify(
            {"items": items, "page": page, "per_page": per_page, "total": total + subtotal}
        )
    rows, total = store.list_page(db, filters, page, per_page)
    return jsonify(
        {
            "items": [needs.public_form(r) for r in rows],
            "page": page,
            "per_page": per_page,
            "total": total,
        }
    )
