"""The `council` blueprint with every route on it: importing the route modules
is what puts their views on bp, so create_app() registers this one."""

from . import (  # noqa: F401  (route modules)
    actions,
    clusters,
    dashboard,
    priorities,
    queue,
    report,
    triage,
    votes,
)
from .blueprint import bp

__all__ = ["bp"]
