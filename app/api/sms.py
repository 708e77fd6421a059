"""API: sms."""

from . import bp  # noqa: F401
