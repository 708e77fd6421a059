"""SAUTI_<KEY> environment overrides: a value its setting refuses stops the node
at start with one sentence naming the variable; a good value overrides the stored one."""

import pytest
from click.testing import CliRunner

from app.cli import main
from app.factory import create_app
from app.node import home, settings


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    "variable, value",
    [("SAUTI_K", "abc"), ("SAUTI_K", "1"), ("SAUTI_SHARE_TEXT", "everything"),
     ("SAUTI_PUSH_INTERVAL_MINUTES", "0"), ("SAUTI_COUNTRY", "Kenya")],
)
def test_a_bad_override_is_refused_at_start_naming_the_variable(node_home, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    result = run("node", "show", "--home", node_home)
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output
    assert f"{variable}='{value}'" in message and "unset it" in message
    with pytest.raises(home.HomeError, match=variable):
        create_app({"HOME": node_home, "TESTING": True})


def test_a_good_override_wins_over_the_stored_value(node_home, api, monkeypatch):
    assert run("settings", "set", "k", "7", "--home", node_home).exit_code == 0
    client, headers = api("analyst")
    monkeypatch.setenv("SAUTI_K", "12")
    result = run("settings", "get", "k", "--home", node_home)
    assert result.exit_code == 0 and result.output.strip() == "12"
    answer = client.get("/api/v1/aggregates?by=category", headers=headers)
    assert answer.status_code == 200 and answer.get_json()["k"] == 12


def test_every_setting_can_be_checked_from_the_environment():
    environ = {settings.env_name(key): "definitely not valid \x00" for key in settings.SETTINGS}
    refused = 0
    for name, value in environ.items():
        try:
            settings.check_environment({name: value})
        except settings.SettingError as exc:
            assert name in str(exc)
            refused += 1
    assert refused >= len(settings.SETTINGS) - 1  # sms_secret accepts any 16+ characters


def test_a_refused_secret_is_named_but_never_echoed(node_home, monkeypatch):
    monkeypatch.setenv("SAUTI_SMS_SECRET", "tooshort-x9")
    result = run("node", "show", "--home", node_home)
    assert result.exit_code == 1 and "SAUTI_SMS_SECRET" in result.output
    assert "tooshort-x9" not in result.output
