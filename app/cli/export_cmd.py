"""sauti export open-data"""

import click

from .common import fail, home_option, main


@main.group()
def export():
    """Export published data."""


@export.command("open-data")
@home_option
@click.argument("directory")
def export_open_data(home_dir, directory):
    """Write published aggregates as CSV plus a datapackage.json.

    Example: sauti export open-data ./open-data
    """
    fail("open-data export is not available in this version of Sauti yet.")
