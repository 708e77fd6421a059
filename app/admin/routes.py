"""The `admin` blueprint with every route on it: importing the route modules
is what puts their views on bp, so create_app() registers this one."""

from . import (  # noqa: F401  (route modules)
    accounts,
    audit,
    categories,
    kiosks,
    places,
    settings_page,
    sync,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
