"""Sign-in, sign-out, roles and the access guard."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: F401
