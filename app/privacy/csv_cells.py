"""Cells that are safe to open in a spreadsheet: the one writer of every CSV file the
project writes (open data, the paper-form template).

A text cell starting with =, +, -, @, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` in published
open data would be a link on an analyst's screen). Such a cell gets a leading
apostrophe, which spreadsheets show as text; numbers are written as they are.
"""

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows go through safe_cell."""

    def __init__(self, f, **kwargs):
        self._writer = csv.writer(f, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(f, **kwargs) -> SafeWriter:
    return SafeWriter(f, **kwargs)
