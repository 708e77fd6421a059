"""sauti export open-data"""

from pathlib import Path

import click

from .common import fail, home_option, main, open_home


@main.group()
def export():
    """Export published data."""


@export.command("open-data")
@home_option
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def export_open_data(home_dir, directory):
    """Write published aggregates as CSV plus a datapackage.json and published.db.

    Takes this week's snapshot first if it is missing (a week's snapshot is
    never replaced), then writes the tables of the latest snapshot with small
    counts suppressed. Browse the result with: datasette DIRECTORY/published.db

    Example: sauti export open-data ./open-data
    """
    from app.aggregate import opendata

    node_home = open_home(home_dir)
    db = node_home.connect()
    try:
        summary = opendata.export(db, directory)
    except OSError as exc:
        fail(f"could not write to {directory}: {exc.strerror}; choose a folder you can write to.")
    finally:
        db.close()
    click.echo(
        f"snapshot: {summary['as_of']} k={summary['k']} tables={summary['tables']} "
        f"records={summary['records']} -> {directory}"
    )
