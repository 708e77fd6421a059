"""Paper forms typed into a spreadsheet: CSV template, dry run, import."""

from . import bp  # noqa: F401
