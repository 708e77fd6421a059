"""Views of the public blueprint."""

from . import bp  # noqa: F401
