"""Administration pages: node identity, settings, users, disk space, sync, enrolment."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import sync, views  # noqa: F401
