"""The public \"You said, we did\" board and printable notices."""

from . import bp  # noqa: F401
