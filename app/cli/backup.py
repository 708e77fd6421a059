"""sauti backup, sauti restore"""

from pathlib import Path

import click

from app.node import backup as backups
from app.node import home

from .common import fail, home_option, main, open_home, read_secret


@main.command()
@home_option
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--encrypt", is_flag=True, help="Encrypt with a passphrase read from stdin.")
def backup(home_dir, file, encrypt):
    """Write a consistent copy of the database while the node keeps running.

    Example: echo 'long passphrase' | sauti backup /media/usb/kangemi.backup --encrypt
    """
    node_home = open_home(home_dir)
    passphrase = None
    if encrypt:
        passphrase = read_secret("Passphrase", from_stdin=True)
        if len(passphrase) < 10:
            fail("the passphrase is too short; use at least 10 characters.")
    try:
        size = backups.backup(node_home.target, file, passphrase)
    except OSError as exc:
        fail(f"could not write {file}: {exc.strerror or exc}.")
    except backups.BackupError as exc:
        fail(str(exc))
    click.echo(f"backup written: {file} ({size} bytes)")
    click.echo(
        "Keep a copy of node.key and secret_key from the home too; the backup holds only the database.",
        err=True,
    )


@main.command()
@home_option
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--passphrase-stdin",
    is_flag=True,
    help="Read the passphrase of an encrypted backup from stdin.",
)
def restore(home_dir, file, passphrase_stdin):
    """Restore a backup into a home that holds the node's key files but no database.

    A node on PostgreSQL: put the 'database' file (its address) in the home too,
    naming an empty database; the backup is loaded there with pg_restore.

    Example: echo 'long passphrase' | sauti restore kangemi.backup --home ./kangemi --passphrase-stdin
    """
    home_dir = Path(home_dir)
    for name in ("node.key", "node.pub", "secret_key"):
        if not (home_dir / name).is_file():
            fail(
                f"{home_dir / name} is missing; copy node.key, node.pub and secret_key "
                "from the node's safe copy into the home first."
            )
    passphrase = read_secret("Passphrase", from_stdin=True) if passphrase_stdin else None
    try:
        backups.restore(file, home.Home(home_dir).address or home_dir / home.DB_NAME, passphrase)
        restored = home.open_home(home_dir)
    except (backups.BackupError, home.HomeError) as exc:
        fail(str(exc))
    db = restored.connect()
    try:
        from app.store import node as node_store

        key_on_disk = (home_dir / "node.pub").read_text().strip()
        if node_store.get(db)["public_key"] != key_on_disk:
            click.echo(
                "Warning: node.pub does not match the restored database's node key.", err=True
            )
        from app.store import sync_state

        # its parent lets a restored node come back behind once per restore (a clone never)
        sync_state.put(db, restores=int(sync_state.get(db, "restores") or 0) + 1)
    finally:
        db.close()
    click.echo(f"restored {file} into {home_dir}")
