"""API: GET /api/v1/aggregates?by=DIM[,DIM] (contract "Aggregates").

Council, analyst and admin tokens get the live roll-up; anyone else gets the
latest weekly snapshot when the node's open_data setting is on. The same
disclosure control applies to both."""

from flask import g, jsonify, request
from flask_babel import lazy_gettext as _l

from app.aggregate import opendata
from app.auth.permissions import allowed, public
from app.database import get_db
from app.errors import AppError
from app.node import settings
from app.privacy import disclosure

from .blueprint import bp


@bp.route("/aggregates")
@public
def aggregates():
    db = get_db()
    user = g.get("user")
    if g.get("via_token") and user is None:
        raise AppError(401)
    live = user is not None and allowed(user["role"], "aggregates")
    if not live and settings.get(db, "open_data") != "on":
        raise AppError(401 if user is None else 403)
    try:
        body = opendata.answer(db, request.args.get("by"), live=live)
    except disclosure.DimensionError as exc:
        raise AppError(
            422, "invalid", _l("Some fields are not valid."), details={"by": [str(exc)]}
        ) from None
    except LookupError:
        raise AppError(
            404, "no_snapshot", _l("No published snapshot yet; try again after the weekly one.")
        ) from None
    response = jsonify(body)
    if not live:
        response.headers["Cache-Control"] = "public, max-age=3600"
    return response
