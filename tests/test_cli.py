"""The `sauti` command line: every command of the contract and its mistake paths."""

import json
import re

import pytest
from click.testing import CliRunner

from app.cli import main

from .conftest import make_home


def run(*args, input=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def fails(*args, match, input=None):
    result = run(*args, input=input)
    assert result.exit_code != 0, result.output
    assert re.search(match, result.output), result.output
    # One clear sentence, not a wall of text.
    assert len(result.output.strip().splitlines()) <= 4, result.output
    return result


@pytest.fixture
def h(tmp_path):
    return make_home(tmp_path / "home")


def test_init_prints_identity(tmp_path):
    result = run(
        "init", "--home", tmp_path / "n", "--name", "Kangemi", "--level", "community",
        "--locality", "KE/47/kangemi", "--country", "ke",
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"^node_id: [0-9a-f-]{36}$", result.output, re.M)
    assert re.search(r"^public_key: [A-Za-z0-9+/]{43}=$", result.output, re.M)


def test_home_before_the_command_is_accepted(tmp_path):
    result = run(
        "--home", tmp_path / "n", "init", "--name", "K", "--level", "region", "--locality", "KE"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "n" / "sauti.db").exists()


def test_home_from_environment(tmp_path, monkeypatch):
    make_home(tmp_path / "env-home")
    monkeypatch.setenv("SAUTI_HOME", str(tmp_path / "env-home"))
    result = run("settings", "get", "k")
    assert result.output.strip() == "5"


@pytest.mark.parametrize(
    "args, match",
    [
        (["--level", "village", "--locality", "KE"], "Invalid value for '--level'"),
        (["--level", "community", "--locality", "KE//x"], "is not a code"),
        (["--level", "community", "--locality", "KE", "--country", "KEN"], "alpha-2"),
    ],
)
def test_init_mistakes(tmp_path, args, match):
    fails("init", "--home", tmp_path / "n", "--name", "N", *args, match=match)


def test_init_refuses_existing_home(h):
    fails("init", "--home", h, "--name", "N", "--level", "community", "--locality", "KE",
          match="not empty")


def test_commands_without_a_home_say_how_to_make_one(tmp_path):
    fails("node", "show", "--home", tmp_path / "none", match="sauti init")
    fails("user", "add", "x1", "--role", "admin", "--home", tmp_path / "none", match="sauti init")


def test_user_add_with_stdin_password_then_login_hash_is_argon2id(h):
    result = run("user", "add", "amina", "--role", "council", "--password-stdin", "--home", h,
                 input="a long secret phrase\n")
    assert result.exit_code == 0, result.output
    from app.node import home
    from app.store import users

    db = home.open_home(h).connect()
    assert users.by_name(db, "amina")["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1")
    db.close()


def test_user_add_generates_and_prints_a_password_without_a_terminal(h):
    result = run("user", "add", "peter", "--role", "facilitator", "--home", h)
    assert result.exit_code == 0
    assert re.search(r"^password: \S{12,}$", result.output, re.M)


@pytest.mark.parametrize(
    "args, stdin, match",
    [
        (["user", "add", "x", "--role", "admin"], None, "2–64"),
        (["user", "add", "bob", "--role", "king"], None, "Invalid value for '--role'"),
        (["user", "add", "bob", "--role", "admin", "--password-stdin"], "short\n", "too short"),
        (["user", "add", "bob", "--role", "admin", "--password-stdin"], "", "no password"),
        (["user", "disable", "ghost"], None, "no user named 'ghost'"),
        (["user", "password", "ghost", "--password-stdin"], "long enough pass\n", "no user named"),
        (["token", "create", "ghost"], None, "no user named"),
        (["token", "revoke", "abc"], None, "at least the first 8"),
        (["token", "revoke", "abcdefgh"], None, "no active token"),
        (["settings", "get", "colour"], None, "unknown setting 'colour'"),
        (["settings", "set", "k", "1"], None, "at least 2"),
        (["settings", "set", "k", "five"], None, "whole number"),
        (["settings", "set", "share_text", "always"], None, "reviewed, scrubbed, never"),
        (["settings", "set", "country", "Kenya"], None, "alpha-2"),
        (["settings", "set", "kiosk", "yes"], None, "on, off"),
        (["settings", "set", "push_interval_minutes", "0"], None, "at least 1"),
        (["settings", "set", "sms_secret", "short"], None, "16 characters"),
        (["settings", "set", "nope", "1"], None, "unknown setting"),
        (["child", "add", "kid", "--key", "not-base64!"], None, "32-byte Ed25519"),
        (["child", "add", "kid", "--key", "AAAA"], None, "32-byte Ed25519"),
        (["parent", "set", "ftp://x", "--key", "A" * 43 + "="], None, "http://host:port"),
        (["backup", "/nonexistent-dir/x/y.db", "--encrypt"], "short\n", "too short"),
    ],
)
def test_operator_mistakes_are_one_sentence(h, args, stdin, match):
    fails(*args, "--home", h, match=match, input=stdin)


def test_duplicate_user_refused(h):
    run("user", "add", "amina", "--role", "council", "--home", h)
    fails("user", "add", "amina", "--role", "admin", "--home", h, match="exists already")


def test_tokens_create_list_revoke(h):
    run("user", "add", "amina", "--role", "council", "--home", h)
    first = run("token", "create", "amina", "--home", h).output.strip()
    second = run("token", "create", "amina", "--home", h).output.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first) and first != second
    listing = run("token", "list", "--home", h).output
    assert first[:12] in listing and "amina" in listing and first not in listing
    result = run("token", "revoke", first[:10], "--home", h)
    assert result.exit_code == 0 and "revoked" in result.output
    assert "revoked" in run("token", "list", "--home", h).output
    fails("token", "revoke", first[:10], "--home", h, match="no active token")


def test_token_revoke_refuses_an_ambiguous_prefix(h):
    from app.node import home
    from app.store import users

    run("user", "add", "amina", "--role", "council", "--home", h)
    db = home.open_home(h).connect()
    uid = users.by_name(db, "amina")["id"]
    users.add_token(db, uid, "SAMEPREFIX01", "1" * 64)
    users.add_token(db, uid, "SAMEPREFIX02", "2" * 64)
    db.close()
    fails("token", "revoke", "SAMEPREF", "--home", h, match="2 tokens start with")
    assert run("token", "revoke", "SAMEPREFIX02", "--home", h).exit_code == 0


def test_user_disable_and_password(h):
    run("user", "add", "amina", "--role", "council", "--home", h)
    assert run("user", "disable", "amina", "--home", h).exit_code == 0
    result = run("user", "password", "amina", "--password-stdin", "--home", h,
                 input="another long phrase\n")
    assert result.exit_code == 0


def test_settings_get_set(h):
    assert run("settings", "set", "k", "7", "--home", h).output.strip() == "k=7"
    assert run("settings", "get", "k", "--home", h).output.strip() == "7"
    assert run("settings", "get", "country", "--home", h).output.strip() == "KE"
    run("settings", "set", "sms_secret", "x" * 20, "--home", h)
    everything = run("settings", "get", "--home", h).output
    assert "share_text=reviewed" in everything and "x" * 20 not in everything


def test_node_show_json_has_the_contract_keys(h):
    info = json.loads(run("node", "show", "--json", "--home", h).output)
    for key in ("node_id", "name", "level", "locality", "country", "public_key", "fingerprint",
                "parent", "children", "pending", "last_sync", "last_error"):
        assert key in info
    assert re.fullmatch(r"([0-9A-F]{4} ){3}[0-9A-F]{4}", info["fingerprint"])
    assert info["parent"] is None and info["children"] == [] and info["country"] == "KE"


def test_child_add_and_parent_set_show_in_node_show(tmp_path):
    parent = make_home(tmp_path / "parent", level="region", locality="KE/47")
    child = make_home(tmp_path / "child")
    child_key = json.loads(run("node", "show", "--json", "--home", child).output)["public_key"]
    parent_key = json.loads(run("node", "show", "--json", "--home", parent).output)["public_key"]
    assert run("child", "add", "Kangemi", "--key", child_key, "--home", parent).exit_code == 0
    fails("child", "add", "Again", "--key", child_key, "--home", parent, match="already enrolled")
    fails("child", "add", "Me", "--key", parent_key, "--home", parent, match="own key")
    assert run("parent", "set", "http://127.0.0.1:5000/", "--key", parent_key, "--home", child).exit_code == 0
    p = json.loads(run("node", "show", "--json", "--home", parent).output)
    c = json.loads(run("node", "show", "--json", "--home", child).output)
    assert p["children"][0]["name"] == "Kangemi" and p["children"][0]["public_key"] == child_key
    assert c["parent"] == {"url": "http://127.0.0.1:5000", "public_key": parent_key}


def test_every_command_has_help_with_an_example():
    def walk(command, path):
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, path + [name])
        else:
            yield path, command

    for path, command in walk(main, []):
        assert "Example:" in (command.help or ""), f"sauti {' '.join(path)} has no example"
        assert run(*path, "--help").exit_code == 0
