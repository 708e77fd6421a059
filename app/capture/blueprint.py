"""The `capture` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("capture", __name__)
