"""The one CSV writer of the exports and of the open-data package's participation
tables: every CSV they write goes through write_rows (the one place to
neutralise spreadsheet formulas, see issue 10)."""

import csv
from pathlib import Path


def write_rows(path: Path, header, body) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(body)
