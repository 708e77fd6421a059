"""API: aggregates."""

from . import bp  # noqa: F401
