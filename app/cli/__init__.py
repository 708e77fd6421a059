"""The `sauti` command line: one click group, `sauti NOUN VERB`.

Every command takes `--home DIR` after its own name (also accepted before it);
the default is $SAUTI_HOME, else ./sauti-home.
"""

from . import (  # noqa: F401  # noqa: F401  (issue 12: field operations)
    backup,
    doctor,
    export_cmd,
    localities_cmd,
    nodes,
    serve,
    service,
    settings_cmd,
    sync_cmd,
    users_cmd,
)
from .common import main

__all__ = ["main"]
