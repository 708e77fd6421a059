"""sauti sync push|export|import|import-receipt"""

import sys
from pathlib import Path

import click

from .common import fail, home_option, main, on_terminal, open_home


@main.group()
def sync():
    """Send records to the parent, or carry them on a USB stick."""


def _run(home_dir, refused: str, step, *args, **kwargs):
    """Run one sync STEP(local, ...) on the node at HOME_DIR; a SyncError becomes
    one sentence on stderr ("REFUSED: why") and a non-zero exit."""
    from sync.errors import SyncError
    from sync.local import Local

    local = Local.open(open_home(home_dir))
    try:
        return step(local, *args, **kwargs)
    except SyncError as exc:
        fail(f"{refused}: {exc.message}")
    finally:
        local.close()


def _steps():
    """Progress of a long command on a terminal ("opening..."); None elsewhere, so that
    scripts and logs get the result and, on failure, exactly one sentence."""
    if not on_terminal():
        return None
    return lambda step: click.echo(f"{step}...", err=True)


def _bytes_progress():
    if not on_terminal():
        return None
    state = {"last": -1}

    def show(done: int, total: int) -> None:
        pct = int(done * 100 / total) if total else 100
        if pct != state["last"]:
            state["last"] = pct
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\rsending {done:,}/{total:,} bytes ({pct}%)" + end)
            sys.stderr.flush()

    return show


@sync.command("push")
@home_option
@click.option(
    "--chunk-size",
    type=click.IntRange(1024, 64 * 1024),
    default=64 * 1024,
    show_default=True,
    help="Bytes per upload request (smaller suits a 2G link).",
)
def sync_push(home_dir, chunk_size):
    """Push everything pending to the parent over HTTP.

    Exits 0 only when all of it was acknowledged by the parent. An interrupted
    push resumes where the parent stopped receiving.

    Example: sauti sync push --home ./kangemi
    """
    from sync.http_push import push

    result = _run(home_dir, "push failed", push, chunk_size=chunk_size, progress=_bytes_progress())
    if result["bundles"] == 0:
        click.echo("nothing to push: the parent has everything.")
    else:
        click.echo(
            f"pushed: new={result['new']} known={result['known']} "
            f"bundles={result['bundles']} bytes={result['bytes']}"
        )


@sync.command("export")
@home_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "to_key",
    help="Seal for this node's public key instead of the parent's "
    "(e.g. a nation taking a cut-off community's stick directly).",
)
def sync_export(home_dir, file, to_key):
    """Write everything not yet acknowledged into one bundle file, sealed to
    the parent's key.

    Example: sauti sync export /media/usb/kangemi.sauti
    """
    from sync.file_transport import export

    if to_key:
        from .nodes import _check_key

        to_key = _check_key(to_key)
    result = _run(
        home_dir, "export failed", export, file, to_key=to_key, progress=_steps()
    )
    if result["bytes"] == 0:
        click.echo("nothing to export: the parent has acknowledged everything.")
    else:
        click.echo(
            f"exported {result['records']} records in {result['batches']} batches "
            f"({result['bytes']} bytes) to {file}"
        )


@sync.command("import")
@home_option
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--receipt",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the signed receipt (default: FILE.receipt).",
)
def sync_import(home_dir, file, receipt):
    """On a parent: verify and apply a bundle file from an enrolled child.

    Prints new=N known=M and writes a signed receipt the child can import.
    Importing the same file again changes nothing.

    Example: sauti sync import /media/usb/kangemi.sauti
    """
    from sync.file_transport import import_file

    result = _run(
        home_dir,
        "import refused, nothing was applied",
        import_file,
        file,
        receipt=receipt,
        progress=_steps(),
    )
    click.echo(f"imported {file.name}: new={result['new']} known={result['known']}")
    if result["receipt"]:
        click.echo(f"receipt: {result['receipt']} (import it on the child to confirm delivery)")


@sync.command("import-receipt")
@home_option
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def sync_import_receipt(home_dir, file):
    """On a child: import the parent's signed receipt of an imported file.

    Example: sauti sync import-receipt /media/usb/kangemi.sauti.receipt
    """
    from sync.file_transport import import_receipt

    acked = _run(home_dir, "receipt refused", import_receipt, file)
    click.echo(f"delivered up to seq {acked}")
