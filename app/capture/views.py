"""Views of the capture blueprint."""

from . import bp  # noqa: F401
