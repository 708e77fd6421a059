"""Every command of `sauti`, walked with an operator's mistakes: an unknown option, a
missing argument, a bad value, a missing home, a missing file. Each must end with a
non-zero exit, exactly one line on stderr, no traceback — with stderr on a terminal
and with stderr redirected to a file (as under systemd or cron)."""

import os
import pty
import sys
from pathlib import Path

import click
import pytest

from app.cli import main

from .conftest import make_home

# Values that make a command's required options valid, so that the mistake under test
# is the only one.
GOOD_OPTIONS = {
    "--name": "Kangemi",
    "--level": "community",
    "--locality": "KE/47/kangemi",
    "--key": "A" * 43 + "=",
    "--role": "council",
}
CREATES_ITS_HOME = {("init",), ("demo",)}


def leaves(command=main, path=()):
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from leaves(sub, path + (name,))
    else:
        yield path, command


COMMANDS = dict(leaves())


def arguments(command) -> list:
    return [p for p in command.params if isinstance(p, click.Argument)]


def required_options(command) -> list[str]:
    out = []
    for p in command.params:
        if isinstance(p, click.Option) and p.required:
            out += [p.opts[0], GOOD_OPTIONS[p.opts[0]]]
    return out


def reads_its_path(path: tuple) -> bool:
    """True for commands whose path argument is read (a bundle, a backup, a CSV); the
    others write theirs, and make a missing folder for it."""
    return path[-1] in ("import", "import-receipt", "restore")


def fill(command, missing: Path) -> list[str]:
    """Arguments for COMMAND that are well-formed; paths lead to MISSING."""
    args = []
    for p in arguments(command):
        if isinstance(p.type, click.Path):
            args.append(str(missing / "file.bin"))
        elif p.required:
            args.append("amina" if p.name in ("username", "name") else "k")
    return args + required_options(command)


def run(args: list[str], stderr_to: str, tmp_path: Path) -> tuple[int, str]:
    """Run `sauti ARGS` in this process with stderr on a terminal ("tty") or a file."""
    saved = sys.stderr
    if stderr_to == "tty":
        leader, follower = pty.openpty()
        sys.stderr = open(follower, "w", encoding="utf-8", closefd=True)
    else:
        log = tmp_path / "stderr.log"
        sys.stderr = open(log, "w", encoding="utf-8")
    try:
        assert sys.stderr.isatty() == (stderr_to == "tty")
        try:
            main.main(args, prog_name="sauti")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stderr.close()
        sys.stderr = saved
    if stderr_to == "tty":
        text = os.read(leader, 65536).decode("utf-8") if _readable(leader) else ""
        os.close(leader)
    else:
        text = log.read_text(encoding="utf-8")
    return code, text.replace("\r\n", "\n")


def _readable(fd) -> bool:
    import select

    return bool(select.select([fd], [], [], 0)[0])


def mistakes(tmp_path: Path):
    """(what, args) for every command: each is a mistake an operator can make."""
    home = make_home(tmp_path / "home")
    missing = tmp_path / "no-such-folder"
    for path, command in COMMANDS.items():
        name = " ".join(path)
        yield f"{name}: unknown option", [*path, "--no-such-option"]
        if any(p.required for p in arguments(command)):
            yield f"{name}: missing argument", [*path, "--home", str(home)]
        for p in command.params:
            if isinstance(p, click.Option) and isinstance(p.type, (click.Choice, click.IntRange)):
                bad = [*path, *fill(command, missing), p.opts[0], "not-a-value"]
                yield f"{name}: bad {p.opts[0]}", bad + ["--home", str(home)]
        if path not in CREATES_ITS_HOME:
            yield f"{name}: missing home", [*path, *fill(command, missing), "--home", str(missing)]
        if any(isinstance(p.type, click.Path) for p in arguments(command)):
            if reads_its_path(path):
                yield f"{name}: missing file", [*path, *fill(command, missing), "--home", str(home)]
            else:  # a file where a folder must go: the path cannot be written
                blocked = fill(command, home / "node.pub")
                yield f"{name}: unwritable path", [*path, *blocked, "--home", str(home)]


@pytest.mark.parametrize("stderr_to", ["tty", "file"])
def test_every_command_answers_a_mistake_with_one_line(tmp_path, monkeypatch, stderr_to):
    monkeypatch.setenv("SAUTI_HOME", str(tmp_path / "env-home-missing"))
    nothing = open(os.devnull, encoding="utf-8")  # no password or passphrase to read
    monkeypatch.setattr(sys, "stdin", nothing)
    try:
        seen = walk(tmp_path, stderr_to)
    finally:
        nothing.close()
    # The walk reached every command, and every kind of mistake.
    assert {w.split(":")[0] for w in seen} == {" ".join(p) for p in COMMANDS}
    kinds = ("unknown option", "missing argument", "bad --", "missing home", "missing file",
             "unwritable path")
    for kind in kinds:
        assert any(kind in w for w in seen), kind


def walk(tmp_path, stderr_to) -> list[str]:
    seen = []
    for what, args in mistakes(tmp_path):
        code, err = run(args, stderr_to, tmp_path)
        lines = [line for line in err.splitlines() if line.strip()]
        seen.append(what)
        assert code != 0, f"{what}: exit 0 ({args})"
        assert "Traceback" not in err, f"{what}: {err}"
        assert len(lines) == 1, f"{what}: {len(lines)} lines on stderr:\n{err}"
        assert lines[0].startswith("Error: "), f"{what}: {lines[0]}"
    return seen


def test_a_failed_sync_import_logs_one_sentence_not_progress(tmp_path):
    """`sync import` of a damaged file, stderr to a file: the refusal alone, no 'opening...'."""
    import subprocess

    home = make_home(tmp_path / "home", level="region", locality="KE/47")
    damaged = tmp_path / "bundle.sauti"
    damaged.write_bytes(b"SAUTI" + os.urandom(200))
    with open(tmp_path / "err.log", "w") as err:
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "sync", "import", str(damaged), "--home", str(home)],
            stderr=err, stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1],
            timeout=60,
        )
    text = (tmp_path / "err.log").read_text()
    assert done.returncode != 0
    assert len(text.strip().splitlines()) == 1 and "..." not in text, text


def test_progress_is_shown_on_a_terminal(tmp_path):
    home = make_home(tmp_path / "home", level="region", locality="KE/47")
    damaged = tmp_path / "bundle.sauti"
    damaged.write_bytes(b"not a bundle")
    code, err = run(["sync", "import", str(damaged), "--home", str(home)], "tty", tmp_path)
    assert code != 0 and "opening..." in err and err.strip().splitlines()[-1].startswith("Error: ")


def test_token_revoke_takes_a_prefix_that_begins_with_a_dash(tmp_path):
    from app.node import home as node_home
    from app.store import users

    home = make_home(tmp_path / "home")
    assert main.main(["user", "add", "amina", "--role", "council", "--home", str(home)],
                     standalone_mode=False) in (None, 0)
    db = node_home.open_home(home).connect()
    uid = users.by_name(db, "amina")["id"]
    users.add_token(db, uid, "-hXq3vT9aB01", "1" * 64)  # made before tokens avoided "-"
    users.add_token(db, uid, "--Xq3vT9aB02", "2" * 64)
    db.close()
    for prefix in ("-hXq3vT9aB", "--Xq3vT9aB02"):
        code, err = run(["token", "revoke", prefix, "--home", str(home)], "file", tmp_path)
        assert code == 0, err
    db = node_home.open_home(home).connect()
    assert users.tokens_matching(db, "-") == []
    db.close()


def test_new_tokens_never_begin_with_a_dash(monkeypatch):
    from app.auth import tokens

    values = iter(["-first", "-second", "third-ok"])
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda n: next(values))
    assert tokens.new_token() == "third-ok"


def test_home_before_demo_is_honoured(tmp_path, monkeypatch):
    from app.node.home import DB_NAME

    monkeypatch.chdir(tmp_path)
    code, err = run(["--home", str(tmp_path / "demo-home"), "demo", "--no-serve"], "file", tmp_path)
    assert code == 0, err
    assert (tmp_path / "demo-home" / DB_NAME).exists()
    assert not (tmp_path / "sauti-demo").exists()
