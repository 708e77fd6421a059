"""The `main` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("main", __name__)
