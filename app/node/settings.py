"""Every node setting in one table: key, default, parser and description.

Settings live in the node database (table `settings`); a key that is not
stored has its default. `SAUTI_<KEY>` environment variables override stored
values at run time (documented in the README), without being written.
"""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.store import settings as store


class SettingError(ValueError):
    """An unknown key or a value a setting does not accept. `code` (unknown,
    min, choice, country, secret_length) and `params` let a page word it."""

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message)
        self.code = code
        self.params = params


def _int_at_least(minimum: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        text = value.strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
            raise SettingError(f"must be a whole number of at least {minimum}", "min", minimum=minimum)
        number = int(text)
        if number < minimum:
            raise SettingError(f"must be a whole number of at least {minimum}", "min", minimum=minimum)
        return str(number)

    return parse


def _choice(*values: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip().lower()
        if value not in values:
            raise SettingError("must be one of: " + ", ".join(values), "choice", values=values)
        return value

    parse.choices = values  # a page offers them as a list
    return parse


def _country(value: str) -> str:
    value = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise SettingError("must be an ISO 3166 alpha-2 country code such as KE or SD", "country")
    return value


def _secret(value: str) -> str:
    value = value.strip()
    if len(value) < 16:
        raise SettingError("must be at least 16 characters long", "secret_length", minimum=16)
    return value


@dataclass(frozen=True)
class Setting:
    key: str
    default: str | None
    parse: Callable[[str], str]
    help: str
    secret: bool = False  # never echoed in a message


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in [
        Setting("k", "5", _int_at_least(2), "smallest published count"),
        Setting(
            "share_text",
            "reviewed",
            _choice("reviewed", "scrubbed", "never"),
            "which free texts go up: only texts marked checked, every scrubbed text, or none",
        ),
        Setting("country", None, _country, "ISO 3166 alpha-2 code used to read phone numbers"),
        Setting("kiosk", "off", _choice("on", "off"), "public citizen kiosk page"),
        Setting("push_interval_minutes", "15", _int_at_least(1), "minutes between pushes"),
        Setting("open_data", "off", _choice("on", "off"), "publish aggregates as dated snapshots"),
        Setting(
            "contact_retention_days",
            "365",
            _int_at_least(1),
            "days a respondent's contact is kept before it is erased",
        ),
        Setting(
            "audio_retention_days",
            "90",
            _int_at_least(1),
            "days an audio note is kept before it is erased",
        ),
        Setting(
            "lock_idle_minutes",
            "5",
            _int_at_least(1),
            "minutes without use after which a PIN-protected screen locks itself",
        ),
        Setting("sms_secret", None, _secret, "shared secret of the inbound SMS webhook", secret=True),
        Setting(
            "silent_child_days",
            "30",
            _int_at_least(1),
            "days after which a child that has not synced is shown as silent",
        ),
        Setting(
            "open_data_records",
            "off",
            _choice("on", "off"),
            "also publish k-anonymous record-level needs in the open-data export",
        ),
    ]
}


def parse(key: str, value: str) -> str:
    """The stored form of VALUE for KEY, or SettingError."""
    if key not in SETTINGS:
        raise SettingError(
            f"unknown setting {key!r}; known settings: {', '.join(sorted(SETTINGS))}", "unknown"
        )
    return SETTINGS[key].parse(value)


def env_name(key: str) -> str:
    return f"SAUTI_{key.upper()}"


def check_environment(environ=os.environ) -> None:
    """Refuse a `SAUTI_<KEY>` override that its setting does not accept, with a
    sentence naming the variable (checked when a home is opened, so a bad value
    stops the node at start instead of failing requests later)."""
    for key, setting in SETTINGS.items():
        value = environ.get(env_name(key))
        if value is None:
            continue
        try:
            setting.parse(value)
        except SettingError as exc:
            shown = env_name(key) if setting.secret else f"{env_name(key)}={value!r}"
            raise SettingError(
                f"the environment variable {shown} is refused: {key} {exc}; correct it or unset it."
            ) from None


def get(db, key: str) -> str | None:
    if key not in SETTINGS:
        raise SettingError(f"unknown setting {key!r}")
    env = os.environ.get(env_name(key))
    if env is not None:
        return SETTINGS[key].parse(env)
    value = store.get(db, key)
    return SETTINGS[key].default if value is None else value


def get_int(db, key: str) -> int:
    return int(get(db, key))


def all_values(db) -> dict[str, str | None]:
    return {key: get(db, key) for key in SETTINGS}


def set_value(db, key: str, value: str) -> str:
    stored = parse(key, value)
    store.put(db, key, stored)
    return stored
