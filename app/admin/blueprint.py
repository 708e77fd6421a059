"""The `admin` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
