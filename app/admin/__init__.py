"""Administration pages: node identity, settings, users, disk space."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: F401
