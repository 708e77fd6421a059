"""Tables of the council feature area (migration set 'sauti-council')."""

import sqlite_utils

migrations = sqlite_utils.Migrations("sauti-council")
