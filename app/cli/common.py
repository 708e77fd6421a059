"""The click group and the small decorators every command shares."""

import functools
from pathlib import Path

import click

from app.node import home


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", "group_home", type=click.Path(path_type=Path), help="Node home folder.")
@click.version_option(package_name="sauti")
@click.pass_context
def main(ctx, group_home):
    """Sauti: capture citizens' needs offline, decide locally, sync upward.

    Example: sauti init --home ./kangemi --name Kangemi --level community --locality KE/47/kangemi
    """
    ctx.obj = {"home": group_home}


def home_option(command):
    """Add --home DIR to a command; resolve it (command, group, $SAUTI_HOME, ./sauti-home)."""

    @click.option("--home", "home_dir", type=click.Path(path_type=Path), help="Node home folder.")
    @functools.wraps(command)
    def wrapper(*args, home_dir=None, **kwargs):
        ctx = click.get_current_context()
        group_home = (ctx.find_root().obj or {}).get("home")
        return command(*args, home_dir=home_dir or group_home or home.default_home(), **kwargs)

    return wrapper


port_option = click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 lets the system pick a free one (printed at start).",
)


def open_home(path: Path) -> home.Home:
    try:
        return home.open_home(path)
    except home.HomeError as exc:
        raise click.ClickException(str(exc)) from None


def fail(message: str):
    raise click.ClickException(message)


def read_secret(prompt: str, from_stdin: bool, *, confirm: bool = True) -> str | None:
    """A password from stdin (first line), a terminal prompt, or None when neither."""
    import sys

    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            fail("no password on standard input; pipe one line, e.g. echo 'secret' | sauti ...")
        return value
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return None
