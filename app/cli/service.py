"""sauti service install: run the node under systemd, restarted after a crash or a
power cut, with a memory limit and its log in journald."""

import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click

from .common import fail, home_option, main, open_home

UNIT_DIR = Path("/etc/systemd/system")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MEMORY_RE = re.compile(r"^[1-9][0-9]{0,5}[KMG]$")

UNIT = """\
# Written by `sauti service install`; run it again to change the settings.
[Unit]
Description=Sauti node {home}
After=network-online.target time-sync.target
Wants=network-online.target

[Service]
Type=simple
User={user}
WorkingDirectory={home}
Environment=SAUTI_HOME={home}
Environment=PYTHONUNBUFFERED=1
ExecStart={command} serve --home {home} --host {host} --port {port}{tls}
Restart=on-failure
RestartSec=5
TimeoutStopSec=30
# argon2id takes 19 MiB for one sign-in at a time; the node stays near 80 MB.
MemoryHigh={memory_high}
MemoryMax={memory_max}
StandardOutput=journal
StandardError=journal
SyslogIdentifier={name}
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full
ReadWritePaths={home}

[Install]
WantedBy=multi-user.target
"""


def _command() -> str:
    """The installed `sauti` beside this Python (a venv), else `python -m app.cli`."""
    script = Path(sys.executable).parent / "sauti"
    if script.exists():
        return str(script)
    return f"{sys.executable} -m app.cli"


def _memory_high(limit: str) -> str:
    number, unit = int(limit[:-1]), limit[-1]
    return f"{max(1, number * 4 // 5)}{unit}"


def unit_text(*, home: Path, user: str, host: str, port: int, memory_max: str, name: str,
              tls: bool = False) -> str:
    return UNIT.format(
        home=home, user=user, host=host, port=port, command=_command(), name=name,
        tls=" --tls" if tls else "",
        memory_max=memory_max, memory_high=_memory_high(memory_max),
    )


def _default_user(home: Path) -> str:
    try:
        return pwd.getpwuid(home.stat().st_uid).pw_name
    except KeyError:
        fail(f"the owner of {home} has no user name; give one with --user USER.")


def _run(*args: str) -> None:
    done = subprocess.run(["systemctl", *args], capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        fail(f"'systemctl {' '.join(args)}' failed ({reason[-1] if reason else done.returncode}); "
             "read 'journalctl -xe' for why.")


@main.group()
def service():
    """Run the node as a system service (systemd)."""


@service.command("install")
@home_option
@click.option("--user", "user", help="Run as this user (default: the owner of the home).")
@click.option("--host", default="0.0.0.0", show_default=True,
              help="Address to listen on (0.0.0.0: the local Wi-Fi too).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--memory-max", default="256M", show_default=True,
              help="systemd MemoryMax: the node is restarted above it (K, M or G).")
@click.option("--tls", is_flag=True, help="Serve HTTPS with the node's own certificate.")
@click.option("--name", default="sauti", show_default=True, help="The unit's name.")
@click.option("--print", "print_only", is_flag=True,
              help="Only print the unit; change nothing (no root needed).")
def install(home_dir, user, host, port, memory_max, tls, name, print_only):
    """Write and enable a systemd unit that serves this node at every boot.

    Restarts the node when it fails, limits its memory, keeps its log in journald.

    Example: sudo sauti service install --home /srv/sauti/kangemi --user sauti
    """
    if not NAME_RE.match(name):
        fail("--name may hold letters, digits, '.', '_' and '-' only.")
    if not MEMORY_RE.match(memory_max):
        fail("--memory-max must look like 256M or 1G.")
    if any(c.isspace() or c in "\\\"'%$" for c in str(Path(home_dir).resolve())):
        fail("the home's path holds spaces or quotes, which systemd cannot take here; "
             "move it to a plain path such as /srv/sauti/home.")
    home = open_home(home_dir).path.resolve()
    user = user or _default_user(home)
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        fail(f"there is no user '{user}'; create it (sudo adduser --system {user}) or pick "
             "another with --user.")
    text = unit_text(home=home, user=user, host=host, port=port, memory_max=memory_max, name=name,
                     tls=tls)
    if print_only:
        click.echo(text, nl=False)
        return
    if shutil.which("systemctl") is None:
        fail("systemctl was not found: this system does not run systemd. Start the node with "
             "'sauti serve' from its own service manager, or see the unit with --print.")
    if os.geteuid() != 0:
        fail(f"installing a service needs root: run 'sudo {Path(sys.argv[0]).name} service "
             "install ...' again, or see the unit with --print.")
    if home.stat().st_uid != entry.pw_uid:
        fail(f"{home} belongs to another user than '{user}'; run 'sudo chown -R {user} {home}' "
             "or pick its owner with --user.")
    path = UNIT_DIR / f"{name}.service"
    tmp = path.with_suffix(".service.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    _run("daemon-reload")
    _run("enable", "--now", f"{name}.service")
    click.echo(f"Installed {path}: the node starts at every boot and restarts after a failure.")
    click.echo(f"  state:      systemctl status {name}")
    click.echo(f"  its log:    journalctl -u {name} -f")
    click.echo(f"  restart:    sudo systemctl restart {name}")
    click.echo(f"  check:      sauti doctor --home {home}")
