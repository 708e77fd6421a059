"""Public pages without sign-in: status lookup, kiosk, "You said, we did" board."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import board, views  # noqa: F401
