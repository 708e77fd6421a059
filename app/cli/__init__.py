"""The `sauti` command line: one click group, `sauti NOUN VERB`.

Every command takes `--home DIR` after its own name (also accepted before it);
the default is $SAUTI_HOME, else ./sauti-home.
"""

from . import (  # noqa: F401  (each module adds its commands to the group)
    backup,
    doctor,
    export_cmd,
    export_national,
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
