"""Home page, language switch and health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import views  # noqa: F401
