"""API: sync."""

from . import bp  # noqa: F401
