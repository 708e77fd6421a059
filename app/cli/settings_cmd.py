"""sauti settings get|set"""

import click

from app.node import settings
from app.store import audit

from .common import fail, home_option, main, open_home


@main.group("settings")
def settings_group():
    """Read or change node settings (see the README's settings table)."""


@settings_group.command("get")
@home_option
@click.argument("key", required=False)
def settings_get(home_dir, key):
    """Print one setting's value, or every KEY=VALUE.

    Example: sauti settings get k
    """
    db = open_home(home_dir).connect()
    try:
        if key:
            try:
                value = settings.get(db, key)
            except settings.SettingError as exc:
                fail(f"{exc}.")
            click.echo("" if value is None else value)
        else:
            for k, v in settings.all_values(db).items():
                shown = "(set)" if k == "sms_secret" and v else ("" if v is None else v)
                click.echo(f"{k}={shown}")
    finally:
        db.close()


@settings_group.command("set")
@home_option
@click.argument("key")
@click.argument("value")
def settings_set(home_dir, key, value):
    """Change a setting; refuses unknown keys and bad values.

    Example: sauti settings set share_text scrubbed
    """
    db = open_home(home_dir).connect()
    try:
        try:
            stored = settings.set_value(db, key, value)
        except settings.SettingError as exc:
            fail(f"{key}: {exc}." if key in settings.SETTINGS else f"{exc}.")
        shown = "(set)" if settings.SETTINGS[key].secret else stored
        audit.record(db, "cli", "setting_set", key, {"value": shown})
    finally:
        db.close()
    click.echo(f"{key}={shown}")
