"""Views of the aggregate blueprint."""

from . import bp  # noqa: F401
