"""Council: triage, similar needs, priorities, votes, actions, dashboard."""

from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")

from . import views  # noqa: F401
