"""The `sauti` command line: one click group, `sauti NOUN VERB`.

Every command takes `--home DIR` after its own name (also accepted before it);
the default is $SAUTI_HOME, else ./sauti-home.
"""

from . import backup, export_cmd, localities_cmd, nodes, serve, settings_cmd, sync_cmd, users_cmd  # noqa: F401
from . import doctor, service  # noqa: F401  (issue 12: field operations)
from .common import main

__all__ = ["main"]
