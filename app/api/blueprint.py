"""The `api` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
