"""The `auth` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
