"""Admin: sync status, sync now, enrolment and key fingerprints."""

from . import bp  # noqa: F401
