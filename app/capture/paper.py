"""Paper forms typed into a spreadsheet: CSV template, dry run, import.

1. GET  /capture/paper/template.csv  the template (UTF-8 with BOM, so Excel reads it),
   a header row of API field names and two rows starting with "#" (what each
   column holds, an example) that the import skips.
2. POST /capture/paper               upload: a dry run that lists every row with its
   errors by spreadsheet row number (the header is row 1). Nothing is written.
3. POST /capture/paper/import        the same file again (carried in the preview page
   as base64, never stored on the server) with the choice "all" (refused
   unless every row is valid) or "valid" (only the valid rows).

Rows are keyed by their uuid column, else by a uuid5 of the normalized row plus
its occurrence number in the file: importing the same file twice stores nothing
new, and two identical rows are two needs.
"""

import base64
import binascii
import codecs
import csv
import io
import json
import re
import unicodedata
import uuid as uuidlib

from flask import Response, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from app.capture import needs
from app.auth.permissions import requires
from app.database import get_db, node
from app.errors import AppError
from app.extensions import csrf
from app.store import intake
from app.store.db import write
from schema import vocab
from schema.need import NeedInSchema, submission_hash

from .blueprint import bp

COLUMNS = (
    "uuid",
    "text",
    "language",
    "category",
    "goals",
    "locality",
    "gender",
    "age_band",
    "groups",
    "supporters",
    "respondent_name",
    "respondent_contact",
    "consent",
    "captured_at",
)
MAX_FILE = 5 * 1024 * 1024  # bytes of the uploaded file
MAX_ROWS = 5000
UPLOAD_LIMIT = MAX_FILE + 64 * 1024  # the whole request: file plus multipart overhead
IMPORT_LIMIT = MAX_FILE * 4 // 3 + 128 * 1024  # the file again, base64 in a form field
NAMESPACE = uuidlib.UUID("5a0d1e2c-0b7e-4f51-9a43-706170657201")  # Sauti paper rows
YES = {"yes", "y", "true", "1", "x", "✓", "✔", "on"}
NO = {"no", "n", "false", "0", "off", "-"}
SPLIT = re.compile(r"[\s;,]+")


class PaperError(Exception):
    """The file as a whole cannot be read; the message says what to do."""


# ------------------------------------------------------------------ reading a file


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


def _clean(value) -> str:
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
    header = [_clean(h).lstrip("\ufeff").lower().replace(" ", "_") for h in records[0]]
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
        if not any(_clean(c) for c in record):
            continue
        if _clean(record[0]).startswith("#"):
            continue
        cells = {h: record[i] if i < len(record) else "" for i, h in enumerate(header)}
        extra = [c for c in record[len(header) :] if _clean(c)]
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


def _list(value: str) -> list[str]:
    return [v for v in SPLIT.split(value) if v]


def canonical_tag(tag: str) -> str:
    """A BCP 47 tag in its usual case: sw, zh-Hans, pt-BR (typed any way)."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def _bool(value: str):
    low = value.lower()
    if low in YES or low == _("yes").lower():
        return True
    if not low or low in NO or low == _("no").lower():
        return False
    return value  # the schema reports it


def row_data(cells: dict[str, str], default_language: str) -> dict:
    """A row as an API body (without uuid when the row has none)."""
    c = {k: _clean(v) for k, v in cells.items() if k in COLUMNS}
    data = {
        "text": c.get("text", ""),
        "language": canonical_tag(c.get("language") or default_language),
    }
    if c.get("uuid"):
        data["uuid"] = c["uuid"].lower()
    for key in ("category", "gender", "age_band"):
        if c.get(key):
            data[key] = c[key].lower()
    if c.get("locality"):
        data["locality"] = c["locality"]
    if c.get("goals"):
        data["goals"] = [int(g) if g.isascii() and g.isdigit() else g for g in _list(c["goals"])]
    if c.get("groups"):
        data["groups"] = [g.lower() for g in _list(c["groups"])]
    if c.get("supporters"):
        s = c["supporters"]
        data["supporters"] = int(s) if s.isascii() and s.isdigit() else s
    respondent = {k: c[f"respondent_{k}"] for k in ("name", "contact") if c.get(f"respondent_{k}")}
    if respondent:
        data["respondent"] = respondent
    if "consent" in c:
        data["consent"] = _bool(c["consent"])
    if c.get("captured_at"):
        data["captured_at"] = c["captured_at"]
    data["channel"] = "paper"
    return data


def row_key(data: dict) -> str:
    """The normalized row (NFC, trimmed, codes lowercased) as one string."""
    keyed = {k: v for k, v in data.items() if k != "uuid"}
    keyed["language"] = str(keyed.get("language", "")).lower()
    return json.dumps(keyed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def assign_uuids(rows: list[dict]) -> None:
    """Give each row without a uuid one derived from its content and occurrence."""
    seen: dict[str, int] = {}
    for data in rows:
        if "uuid" in data:
            continue
        key = row_key(data)
        seen[key] = seen.get(key, 0) + 1
        data["uuid"] = str(uuidlib.uuid5(NAMESPACE, f"{key}\n{seen[key]}"))


def _flatten(messages, column: str = "") -> list[tuple[str, str]]:
    """Marshmallow's nested messages as [(CSV column, message)]."""
    if isinstance(messages, list):
        return [pair for item in messages for pair in _flatten(item, column)]
    if not isinstance(messages, dict):
        return [(column, str(messages))]
    out = []
    for key, value in messages.items():
        if isinstance(key, int) or key == "_schema":
            sub = column  # an item of a list, or the whole object
        elif column == "respondent":
            sub = f"respondent_{key}"
        else:
            sub = str(key)
        out += _flatten(value, sub)
    return out


def analyse(
    rows: list[tuple[int, dict]], db, node_locality: str, default_language: str, categories=None
):
    """Validate every row; returns a list of dicts: number, data, state
    ("new", "known", "repeat", "invalid"), errors [(column, message)], text."""
    schema = NeedInSchema(node_locality=node_locality, categories=categories)
    datas = [row_data(cells, default_language) for _n, cells in rows]
    assign_uuids(datas)
    loaded = []
    for (number, cells), data in zip(rows, datas, strict=True):
        result = {"number": number, "data": data, "errors": [], "state": "invalid"}
        result["text"] = data.get("text", "")
        result["category"] = data.get("category", "other")
        result["language"] = data.get("language", "")
        if "_extra" in cells:
            result["errors"].append(("", _("This row has more cells than the header row.")))
        try:
            need = schema.load(data)
        except ValidationError as exc:
            result["errors"] += _flatten(exc.messages)
            need = None
        result["hash"] = submission_hash(need) if need else None
        result["uuid"] = need["uuid"] if need else None
        loaded.append(result)
    stored = intake.submission_hashes(db, [r["uuid"] for r in loaded if r["uuid"]])
    first_in_file: dict[str, dict] = {}
    for r in loaded:
        if r["errors"]:
            continue
        uuid = r["uuid"]
        earlier = first_in_file.get(uuid)
        if earlier is not None:
            if earlier["hash"] == r["hash"]:
                r["state"] = "repeat"
                r["same_as"] = earlier["number"]
            else:
                r["errors"].append(
                    (
                        "uuid",
                        _(
                            "Row %(row)d has the same uuid with other content.",
                            row=earlier["number"],
                        ),
                    )
                )
            continue
        first_in_file[uuid] = r
        if uuid in stored:
            if stored[uuid] == r["hash"]:
                r["state"] = "known"
            else:
                r["errors"].append(("uuid", _("This uuid was already used for a different need.")))
        else:
            r["state"] = "new"
    return loaded


# ------------------------------------------------------------------ views


def column_help() -> dict[str, str]:
    return {
        "uuid": _("optional; leave empty"),
        "text": _("what the person said, as written on the form (required)"),
        "language": _(
            "language of the text, e.g. sw, ar, fr (empty: %(lang)s)", lang=node()["language"]
        ),
        "category": _("one of: %(codes)s", codes=", ".join(needs.categories())),
        "goals": _("optional SDG numbers 1–17, separated by spaces"),
        "locality": _("optional locality code under %(loc)s", loc=node()["locality"]),
        "gender": _("one of: %(codes)s", codes=", ".join(vocab.GENDERS)),
        "age_band": _("one of: %(codes)s", codes=", ".join(vocab.AGE_BANDS)),
        "groups": _("any of: %(codes)s, separated by spaces", codes=", ".join(vocab.GROUPS)),
        "supporters": _("number of people who raised it (empty: 1)"),
        "respondent_name": _("optional; only with consent"),
        "respondent_contact": _("optional phone or e-mail; only with consent"),
        "consent": _("yes when the person agreed to give name or contact"),
        "captured_at": _("date of the form, e.g. 2026-11-24"),
    }


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    help_ = column_help()
    writer.writerow(["# " + help_["uuid"]] + [help_[c] for c in COLUMNS[1:]])
    example = {
        "uuid": "# " + _("example (this row is skipped)"),
        "text": _("The well near the school has been dry since March."),
        "language": node()["language"],
        "category": "water",
        "gender": "female",
        "age_band": "25-34",
        "supporters": "3",
        "consent": _("no"),
        "captured_at": "2026-11-24",
    }
    writer.writerow([example.get(c, "") for c in COLUMNS])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


@bp.route("/capture/paper/template.csv")
@requires("capture")
def paper_template():
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="sauti-paper-forms.csv"'},
    )


def _page(**context):
    return render_template(
        "capture/paper.html", columns=COLUMNS, help=column_help(), max_rows=MAX_ROWS, **context
    )


def _allow_large_body(limit: int) -> None:
    """This view only: accept a body over the global 64 KB limit, then check CSRF
    (the global check is skipped for it, as it would read the body first)."""
    request.max_content_length = limit
    request.max_form_memory_size = limit
    csrf.protect()


def _analyse_raw(raw: bytes):
    if len(raw) > MAX_FILE:
        raise PaperError(_("The file is larger than 5 MB; split it into smaller files."))
    rows = read_rows(decode(raw))
    if not rows:
        raise PaperError(_("The file has no rows to import."))
    return analyse(
        rows, get_db(), node()["locality"], node()["language"], categories=needs.categories()
    )


def _counts(results) -> dict:
    counts = {"new": 0, "known": 0, "repeat": 0, "invalid": 0}
    for r in results:
        counts["invalid" if r["errors"] else r["state"]] += 1
    counts["valid"] = len(results) - counts["invalid"]
    return counts


@bp.route("/capture/paper", methods=["GET", "POST"])
@requires("capture")
def paper():
    if request.method == "GET":
        return _page()
    _allow_large_body(UPLOAD_LIMIT)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(problem=_("Choose a CSV file to upload.")), 422
    raw = upload.read(MAX_FILE + 1)
    try:
        results = _analyse_raw(raw)
    except PaperError as exc:
        return _page(problem=str(exc)), 422
    return render_template(
        "capture/paper_preview.html",
        results=results,
        counts=_counts(results),
        filename=upload.filename,
        content=base64.b64encode(raw).decode("ascii"),
    )


@bp.route("/capture/paper/import", methods=["POST"])
@requires("capture")
def paper_import():
    _allow_large_body(IMPORT_LIMIT)
    choice = request.form.get("choice")
    if choice not in ("all", "valid"):
        raise AppError(400)
    try:
        raw = base64.b64decode(request.form.get("content", ""), validate=True)
    except (binascii.Error, ValueError):
        raise AppError(400) from None
    try:
        results = _analyse_raw(raw)
    except PaperError as exc:
        return _page(problem=str(exc)), 422
    counts = _counts(results)
    filename = request.form.get("filename", "")
    if choice == "all" and counts["invalid"]:
        return render_template(
            "capture/paper_preview.html",
            results=results,
            counts=counts,
            filename=filename,
            content=request.form["content"],
            problem=_("Nothing was imported: some rows have errors."),
        ), 422
    imported = []
    db = get_db()
    with write(db):  # one transaction: one disk sync for the whole file
        for r in results:
            if r["errors"]:
                continue
            stored, created = needs.capture(r["data"])
            imported.append({"number": r["number"], "ref": stored["ref"], "created": created})
    return render_template(
        "capture/paper_done.html",
        imported=imported,
        created=sum(1 for i in imported if i["created"]),
        skipped=counts["invalid"],
        filename=filename,
    )
