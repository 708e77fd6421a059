"""The `api` blueprint with every route on it: importing the route modules
is what puts their views on bp, so create_app() registers this one."""

from . import aggregates, audio, participation, sms, sync, views  # noqa: F401  (route modules)
from .blueprint import bp

__all__ = ["bp"]
