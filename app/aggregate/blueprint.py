"""The `aggregate` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("aggregate", __name__, url_prefix="/aggregate")
