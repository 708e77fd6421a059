"""The CSV files of the exports and of the open-data package's participation
tables: written through the project's one safe writer (app/privacy/csv_cells),
so no cell can be read as a spreadsheet formula."""

from pathlib import Path

from app.privacy import csv_cells


def write_rows(path: Path, header, body) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv_cells.writer(f)
        writer.writerow(header)
        writer.writerows(body)
