"""sauti doctor: one line per check, with what to do; non-zero when a person must act."""

import sys

import click

from app.node import doctor as checks

from .common import home_option, main, open_home

MARKS = {checks.OK: "ok  ", checks.NOTE: "note", checks.ACT: "ACT "}


@main.command()
@home_option
@click.option("--offline", is_flag=True, help="Do not try to reach the parent.")
def doctor(home_dir, offline):
    """Check the node: database, disk, clock, keys, backups, sync, alerts.

    Prints one line per check; exits 1 when something needs a person (lines
    marked ACT), 0 otherwise.

    Example: sauti doctor --home ./kangemi
    """
    node_home = open_home(home_dir)
    db = node_home.connect()
    try:
        found = checks.run(node_home, db, reach_parent=not offline)
    finally:
        db.close()
    for check in found:
        click.echo(f"{MARKS[check.level]}  {check.name:<8}  {check.text()}")
    if checks.needs_a_person(found):
        click.echo("Something needs a person: see the lines marked ACT.", err=True)
        sys.exit(1)
