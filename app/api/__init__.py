"""The JSON API under /api/v1 (token authentication, no CSRF)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import aggregates, sms, sync, views  # noqa: F401
