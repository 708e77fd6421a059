"""The `public` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("public", __name__)
