"""Open-data page downloads for national systems: the latest snapshot as DHIS2
(ADX, dataValueSets, mapping; zipped) and as SDMX-CSV (app.exports). Built in a
temporary folder on request; nothing is written to the database."""

import io
import tempfile
import zipfile
from pathlib import Path

from flask import Response
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.database import get_db
from app.errors import AppError
from app.exports import build
from app.exports import package as national
from app.store import aggregates as store

from .blueprint import bp

FILES = {"dhis2": ("adx.xml", "dataValueSets.json", "mapping.json"), "sdmx": ("sdmx.csv",)}


def snapshot_tables(db):
    """(snapshot, tables) of the latest snapshot; AppError 404 when there is none
    or it was taken before snapshots kept the breakdowns."""
    snap = store.latest_snapshot(db)
    if snap is None:
        raise AppError(404, "no_snapshot", _("No snapshot has been taken yet."))
    tables = build.tables_of_snapshot(db, snap)
    if tables is None:
        raise AppError(
            404, "no_breakdowns",
            _("This snapshot has no breakdowns for national systems; the next weekly one will."),
        )  # fmt: skip
    return snap, tables


@bp.route("/open-data/<kind>.zip")
@requires("aggregates")
def national_zip(kind):
    if kind not in FILES:
        raise AppError(404)
    db = get_db()
    snap, tables = snapshot_tables(db)
    with tempfile.TemporaryDirectory() as tmp:
        build.write_all(tables, Path(tmp), (kind,), national.saved_mapping(db))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name in FILES[kind]:
                z.write(Path(tmp) / name, name)
    name = f"sauti-{kind}-{snap['as_of']}.zip"
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
