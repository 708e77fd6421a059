"""The `capture` blueprint with every route on it: importing the route modules
is what puts their views on bp, so create_app() registers this one."""

from . import (  # noqa: F401  (route modules)
    audio_page,
    meetings,
    need_form,
    need_page,
    needs_list,
    offline,
    paper,
)
from .blueprint import bp

__all__ = ["bp"]
