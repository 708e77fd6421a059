"""Aggregate: disparity views, Goals view, coverage, open data (parents and councils)."""

from flask import Blueprint

bp = Blueprint("aggregate", __name__, url_prefix="/aggregate")

from . import views  # noqa: F401
