"""Tables of the aggregate feature area (migration set 'sauti-aggregate')."""

import sqlite_utils

migrations = sqlite_utils.Migrations("sauti-aggregate")
