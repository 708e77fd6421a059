"""sauti sync push|export|import"""

import click

from .common import fail, home_option, main


@main.group()
def sync():
    """Send records to the parent, or carry them on a USB stick."""


def _not_yet(what: str):
    fail(f"{what} is not available in this version of Sauti yet; update Sauti to sync.")


@sync.command("push")
@home_option
def sync_push(home_dir):
    """Push everything pending to the parent over HTTP.

    Example: sauti sync push
    """
    _not_yet("sync push")


@sync.command("export")
@home_option
@click.argument("file")
def sync_export(home_dir, file):
    """Write everything not yet acknowledged into one bundle file.

    Example: sauti sync export /media/usb/kangemi.sauti
    """
    _not_yet("sync export")


@sync.command("import")
@home_option
@click.argument("file")
def sync_import(home_dir, file):
    """On a parent: verify and apply a bundle file.

    Example: sauti sync import /media/usb/kangemi.sauti
    """
    _not_yet("sync import")
