"""Tables of the sync feature area (migration set 'sauti-sync')."""

import sqlite_utils

migrations = sqlite_utils.Migrations("sauti-sync")
