"""Offline support: service worker, offline queue import."""

from . import bp  # noqa: F401
