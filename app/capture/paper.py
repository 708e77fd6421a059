"""Paper forms typed into a spreadsheet: the pages for the CSV template, the dry
run and the import. Reading the file is in paper_csv, checking its rows in
paper_rows.

1. GET  /capture/paper/template.csv  the template (UTF-8 with BOM, so Excel reads it),
   a header row of API field names and two rows starting with "#" (what each
   column holds, an example) that the import skips.
2. POST /capture/paper               upload: a dry run that lists every row with its
   errors by spreadsheet row number (the header is row 1). Nothing is written.
3. POST /capture/paper/import        the same file again (carried in the preview page
   as base64, never stored on the server) with the choice "all" (refused
   unless every row is valid) or "valid" (only the valid rows).
"""

import base64
import binascii
import codecs
import io

from flask import Response, render_template, request
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.capture import needs
from app.database import get_db, node
from app.errors import AppError
from app.extensions import csrf
from app.privacy import csv_cells
from app.store.db import write
from schema import vocab

from .blueprint import bp
from .paper_csv import COLUMNS, MAX_FILE, MAX_ROWS, PaperError, decode, read_rows
from .paper_rows import analyse

UPLOAD_LIMIT = MAX_FILE + 64 * 1024  # the whole request: file plus multipart overhead
IMPORT_LIMIT = MAX_FILE * 4 // 3 + 128 * 1024  # the file again, base64 in a form field


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
    writer = csv_cells.writer(out, lineterminator="\r\n")
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
