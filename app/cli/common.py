"""The click group and the small decorators every command shares."""

import errno
import functools
import sys
from pathlib import Path

import click

from app.node import home


def one_line(text: str) -> str:
    """TEXT as one line: an operator reads one sentence, a log keeps one line."""
    return " ".join(str(text).split())


def _say_error(message: str, code: int):
    click.echo(f"Error: {one_line(message)}", err=True)
    sys.exit(code)


class SautiGroup(click.Group):
    """The root group: every mistake an operator can make ends in exactly one line on
    stderr and a non-zero exit, whether stderr is a terminal, a file or a pipe.

    Click's own report of a usage mistake is four lines (usage, hint, blank, error);
    here it is the error and where to look, on one line."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _say_error(exc.format_message() + where, exc.exit_code)
        except click.ClickException as exc:
            _say_error(exc.format_message(), exc.exit_code)
        except (click.Abort, EOFError, KeyboardInterrupt):
            _say_error("stopped before finishing; nothing more was done.", 1)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader went away (e.g. `| head`): not a mistake
                sys.exit(0)
            what = f" ({exc.filename})" if exc.filename else ""
            _say_error(f"{exc.strerror or exc}{what}; check the path and its permissions.", 1)
        # A normal return gives None; ctx.exit(N) inside a command comes back as N.
        sys.exit(code if isinstance(code, int) and not isinstance(code, bool) else 0)


@click.group(cls=SautiGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
        return command(*args, home_dir=given_home(home_dir) or home.default_home(), **kwargs)

    return wrapper


def given_home(home_dir: Path | None) -> Path | None:
    """--home as given after the command, else before it (`sauti --home X cmd`), else None."""
    return home_dir or (click.get_current_context().find_root().obj or {}).get("home")


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


def on_terminal() -> bool:
    """True when stderr is a terminal: progress is shown there, never in logs or pipes."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def read_secret(prompt: str, from_stdin: bool, *, confirm: bool = True) -> str | None:
    """A password from stdin (first line), a terminal prompt, or None when neither."""
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            fail("no password on standard input; pipe one line, e.g. echo 'secret' | sauti ...")
        return value
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return None
