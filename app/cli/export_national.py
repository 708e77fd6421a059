"""sauti export dhis2 / sauti export sdmx"""

from pathlib import Path

import click

from .common import fail, home_option, open_home
from .export_cmd import export


def _run(home_dir, directory, which, mapping_file=None):
    from app.exports import build, mapping, package

    edited = None
    if mapping_file is not None:
        try:
            edited = mapping.load(mapping_file)
        except mapping.MappingError as exc:
            fail(f"{exc} Start from the mapping.json an export writes.")
    node_home = open_home(home_dir)
    db = node_home.connect()
    try:
        if edited is not None:  # the office's codes, also for the open-data package
            package.save_mapping(db, edited)
        tables = build.tables_live(db)
        summary = build.write_all(tables, directory, which, edited)
    except OSError as exc:
        fail(f"could not write to {directory}: {exc.strerror}; choose a folder you can write to.")
    finally:
        db.close()
    note = " (exported tables withheld: see docs/exports.md)" if summary["withheld"] else ""
    click.echo(f"k={summary['k']} values={summary['values']} -> {directory}{note}")


@export.command("dhis2")
@home_option
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--mapping", "mapping_file", type=click.Path(path_type=Path, dir_okay=False),
              help="An edited mapping.json: Sauti codes to the receiving system's codes.")  # fmt: skip
def export_dhis2(home_dir, directory, mapping_file):
    """Write published aggregates as IHE ADX (adx.xml) and DHIS2 dataValueSets.json.

    One value per locality one level below the node, month and category, with
    breakdowns by gender (SEX) and age band (AGE); small counts suppressed as in
    the aggregates API. Also writes mapping.json, the codes used; edit it and
    pass it back with --mapping (unmapped codes keep Sauti's own); the node keeps
    it for the open-data page and package too.

    Example: sauti export dhis2 ./dhis2 --mapping ./mapping.json
    """
    _run(home_dir, directory, ("dhis2",), mapping_file)


@export.command("sdmx")
@home_option
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--mapping", "mapping_file", type=click.Path(path_type=Path, dir_okay=False),
              help="An edited mapping.json: its localities give REF_AREA codes.")  # fmt: skip
def export_sdmx(home_dir, directory, mapping_file):
    """Write published aggregates as SDMX-CSV 2.0 (sdmx.csv), SDG dimensions.

    FREQ M, SERIES per need category, REF_AREA the locality, SEX and AGE in SDG
    codes with totals _T; small counts suppressed as in the aggregates API.

    Example: sauti export sdmx ./sdmx
    """
    _run(home_dir, directory, ("sdmx",), mapping_file)
