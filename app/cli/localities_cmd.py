"""sauti localities import"""

from pathlib import Path

import click

from .common import fail, home_option, main, open_home


@main.group()
def localities():
    """The locality register (names per language, population)."""


@localities.command("import")
@home_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def import_localities(home_dir, file):
    """Import locality names and populations from a CSV file.

    Columns: code, name_<lang> (one per language), population, valid_from,
    valid_to (YYYY-MM-DD; the last three optional).

    Example: sauti localities import localities.csv
    """
    from app.store import localities as register

    node_home = open_home(home_dir)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{file} does not exist; give the path of a CSV file.")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text; save it as CSV (UTF-8) and try again.")
    db = node_home.connect()
    try:
        count = register.import_rows(db, register.parse_csv(text))
    except register.RegisterError as exc:
        fail(f"{file}: {exc}")
    finally:
        db.close()
    click.echo(f"imported: {count}")
