"""`sauti service install`: the systemd unit it writes, and clear sentences where
it cannot install (no systemd, no root)."""

import os
import pwd

from click.testing import CliRunner

from app.cli import main


def invoke(*args, env=None):
    return CliRunner().invoke(main, ["service", "install", *map(str, args)], env=env)


def test_print_shows_the_unit_without_changing_anything(node_home):
    me = pwd.getpwuid(os.getuid()).pw_name
    result = invoke("--home", node_home, "--print", "--port", 8080, "--memory-max", "200M")
    assert result.exit_code == 0, result.output
    unit = result.output
    home = node_home.resolve()
    for line in (
        f"User={me}",
        f"Environment=SAUTI_HOME={home}",
        f"serve --home {home} --host 0.0.0.0 --port 8080",
        "Restart=on-failure",
        "MemoryMax=200M",
        "MemoryHigh=160M",
        "StandardError=journal",
        f"ReadWritePaths={home}",
        "WantedBy=multi-user.target",
    ):
        assert line in unit, line
    assert not (node_home / "sauti.service").exists()
    assert "--tls" not in unit
    tls = invoke("--home", node_home, "--print", "--tls").output
    assert f"serve --home {home} --host 0.0.0.0 --port 5000 --tls" in tls


def test_without_systemd_it_says_what_to_do(node_home, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = invoke("--home", node_home, env={"PATH": str(empty)})
    assert result.exit_code == 1
    assert "systemctl was not found" in result.output and "--print" in result.output
    assert "Traceback" not in result.output


def test_refuses_unknown_user_and_bad_values(node_home):
    result = invoke("--home", node_home, "--user", "no-such-user-here", "--print")
    assert result.exit_code == 1 and "there is no user 'no-such-user-here'" in result.output
    result = invoke("--home", node_home, "--memory-max", "lots", "--print")
    assert result.exit_code == 1 and "--memory-max must look like 256M" in result.output
    result = invoke("--home", node_home, "--name", "../evil", "--print")
    assert result.exit_code == 1 and "--name may hold" in result.output


def test_a_missing_home_is_one_sentence(tmp_path):
    result = invoke("--home", tmp_path / "nowhere", "--print")
    assert result.exit_code == 1 and "no Sauti node at" in result.output
