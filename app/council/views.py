"""Views of the council blueprint."""

from . import bp  # noqa: F401
