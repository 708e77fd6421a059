"""API: meeting attendance (by gender or age band, suppressed with k) and action
plans' progress — GET /api/v1/participation/attendance?by=gender|age_band and
GET /api/v1/participation/actions. Council, analyst and admin tokens (the
aggregates permission); own and received records."""

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from app.aggregate import participation
from app.auth.permissions import requires
from app.database import get_db, node
from app.errors import AppError
from app.node import settings
from app.privacy import disclosure

from .blueprint import bp


@bp.route("/participation/attendance")
@requires("aggregates")
def attendance():
    db = get_db()
    try:
        body = participation.attendance(
            db, node()["locality"], request.args.get("by", "gender"), settings.get_int(db, "k")
        )
    except disclosure.DimensionError as exc:
        raise AppError(
            422, "invalid", _l("Some fields are not valid."), details={"by": [str(exc)]}
        ) from None
    return jsonify(body)


@bp.route("/participation/actions")
@requires("aggregates")
def action_progress():
    return jsonify(participation.progress(get_db(), node()["locality"]))
