"""Reading a paper-forms CSV file (plain functions, no request needed): the
template's columns, decoding the bytes (UTF-8 with or without BOM, UTF-16 with
BOM), guessing the delimiter, and turning the file into numbered rows of cells.
Problems with the file as a whole raise PaperError with a message that says
what to do."""

import codecs
import csv
import io
import unicodedata

from flask_babel import gettext as _

from schema.need import DESCRIBING_FIELDS

# The paper form's columns: the need's describing fields (a paper form's channel is
# always "paper"), with the respondent flattened into columns of their own.
COLUMNS = (
    "uuid",
    *(f for f in DESCRIBING_FIELDS if f != "channel"),
    "respondent_name",
    "respondent_contact",
    "consent",
    "captured_at",
)
MAX_FILE = 5 * 1024 * 1024  # bytes of the uploaded file
MAX_ROWS = 5000


class PaperError(Exception):
    """The file as a whole cannot be read; the message says what to do."""


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 with or without BOM, or UTF-16 with BOM (Excel's
    "Unicode text"). Line ends are kept as they are (csv reads them all)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise PaperError(_("The file looks like UTF-16 but cannot be read.")) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PaperError(
            _(
                "The file is not in UTF-8. In your spreadsheet, save it as "
                "“CSV UTF-8 (comma delimited)” and upload it again."
            )
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def clean_cell(value) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """[(spreadsheet row number, {column: cell})], skipping blank rows and rows
    whose first cell starts with "#". Raises PaperError for file-level problems."""
    first_line = text.split("\n", 1)[0]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        records = list(reader)
    except csv.Error as exc:
        raise PaperError(_("The file is not a readable CSV file (%(error)s).", error=exc)) from None
    if not records:
        raise PaperError(_("The file is empty."))
    header = [clean_cell(h).lstrip("\ufeff").lower().replace(" ", "_") for h in records[0]]
    while header and not header[-1]:
        header.pop()
    unknown = [h or "?" for h in header if h not in COLUMNS]
    if unknown:
        raise PaperError(
            _(
                "Unknown columns: %(columns)s. Use the column names of the template: %(known)s.",
                columns=", ".join(unknown),
                known=", ".join(COLUMNS),
            )
        )
    doubled = sorted({h for h in header if header.count(h) > 1})
    if doubled:
        raise PaperError(_("Columns that appear twice: %(columns)s.", columns=", ".join(doubled)))
    if "text" not in header:
        raise PaperError(_("The first row must name the columns, and one of them must be “text”."))
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(clean_cell(c) for c in record):
            continue
        if clean_cell(record[0]).startswith("#"):
            continue
        cells = {h: record[i] if i < len(record) else "" for i, h in enumerate(header)}
        extra = [c for c in record[len(header) :] if clean_cell(c)]
        if extra:
            cells["_extra"] = str(len(extra))
        rows.append((number, cells))
    if len(rows) > MAX_ROWS:
        raise PaperError(
            _(
                "The file has %(count)d rows; import at most %(max)d at a time.",
                count=len(rows),
                max=MAX_ROWS,
            )
        )
    return rows
