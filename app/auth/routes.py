"""The `auth` blueprint with every route on it: importing the route modules
is what puts their views on bp, so create_app() registers this one."""

from . import own_password, quick_switch, views  # noqa: F401  (route modules)
from .blueprint import bp

__all__ = ["bp"]
